// Regenerates docs/metrics.md from the exporter's registry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMetricsDoc } from '../exporter/src/expose/metrics-doc';

const out = join(__dirname, '..', 'docs', 'metrics.md');
writeFileSync(out, renderMetricsDoc());
console.log(`wrote ${out}`);
