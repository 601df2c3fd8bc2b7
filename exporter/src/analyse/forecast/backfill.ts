import type { Logger } from '../../log/logger';
import { errorMessage } from '../../util/error-message';
import type { Forecaster, InstanceMatch } from './forecaster';

export type BackfillRefusal = Extract<InstanceMatch, { refused: string }>['refused'];

/**
 * Backfills forecast history from Prometheus with this exporter's own series:
 * `instance` (--history.instance), or the instance whose procsight_host_info
 * carries this host's hostname. Returns why it refused (no or several
 * matching instances), else null; an unreachable Prometheus is logged and
 * the forecaster starts empty.
 */
export async function backfillHistory(opts: {
  forecaster: Forecaster;
  prometheusUrl: string;
  instance: string;
  hostname(): Promise<string>;
  logger: Logger;
}): Promise<BackfillRefusal | null> {
  const { forecaster, prometheusUrl, logger } = opts;
  try {
    let instance = opts.instance;
    if (!instance) {
      const hostname = await opts.hostname();
      const found = await forecaster.findInstance({ prometheusUrl, hostname });
      if ('refused' in found) {
        logger.warn(
          { reason: found.refused, hostname, instances: found.candidates.join(',') },
          "cannot tell this exporter's series apart in Prometheus (set --history.instance); starting with empty forecast history",
        );
        return found.refused;
      }
      instance = found.instance;
    }
    const r = await forecaster.backfill({ prometheusUrl, instance });
    logger.info({ instance, series: r.series, points: r.points }, 'forecast history backfilled from Prometheus');
  } catch (e) {
    logger.warn({ err: errorMessage(e) }, 'cannot backfill forecast history from Prometheus; starting empty');
  }
  return null;
}
