import { Router } from 'express';
import { z } from 'zod';
import { FORECAST_RESOURCES } from '@procsight/contract';
import { RequestError } from '../../errors';
import type { Forecast } from '../../analyse/forecast/types';
import { parseQuery } from '../validate';
import { sendJsonList } from '../json';

/** Query parameters (exported for the check of docs/api.md). */
export const forecastQuery = z
  .object({ group: z.string().min(1).max(256).optional(), resource: z.enum(FORECAST_RESOURCES).optional(), path: z.enum(['true', 'false']).default('true') })
  .strict();

/** GET /api/v1/forecasts: forecast paths with bounds, exhaustion and accuracy (docs/api.md). */
export function createForecastRouter(deps: { current(): readonly Forecast[] }): Router {
  const r = Router();
  r.get('/forecasts', async (req, res) => {
    const q = parseQuery(forecastQuery, req.query);
    const all = deps.current();
    if (q.group !== undefined && !all.some((f) => f.group === q.group))
      throw new RequestError(404, `no forecast for group ${JSON.stringify(q.group)} (only the top groups and "_host" are forecast, after enough history)`);
    const list = all.filter((f) => (q.group === undefined || f.group === q.group) && (q.resource === undefined || f.resource === q.resource));
    await sendJsonList(res, {
      key: 'forecasts',
      items: list,
      view: (f) => ({
        group: f.group,
        resource: f.resource,
        model: f.model,
        fitted_at: new Date(f.fittedAtMs).toISOString(),
        level: f.level,
        horizons: Object.fromEntries(
          Object.entries(f.horizons).map(([h, p]) => [h, { timestamp: new Date(p.timestampMs).toISOString(), mean: p.mean, lower: p.lower, upper: p.upper }]),
        ),
        exhaustion: f.exhaustion.map((e) => ({ limit: e.limit, limit_value: e.limitValue, seconds: e.seconds, earliest_seconds: e.earliestSeconds })),
        accuracy: f.accuracy,
        ...(q.path === 'true'
          ? { path: f.path.map((p) => ({ timestamp: new Date(p.timestampMs).toISOString(), mean: p.mean, lower: p.lower, upper: p.upper })) }
          : {}),
      }),
    });
  });
  return r;
}
