/**
 * The four prom-client classes the exporter uses, each from its own file.
 * prom-client's index also loads its Pushgateway, cluster aggregator,
 * summaries and default metrics: about 1.2 MB of heap the main thread would
 * hold for nothing. The classes are the index's own (test/unit/expose/prom-client).
 */
import Counter from 'prom-client/lib/counter';
import Gauge from 'prom-client/lib/gauge';
import Histogram from 'prom-client/lib/histogram';
import Registry from 'prom-client/lib/registry';

export { Counter, Gauge, Histogram, Registry };
