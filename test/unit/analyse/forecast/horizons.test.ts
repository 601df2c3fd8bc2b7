import { forecastConfigSchema } from '../../../../exporter/src/analyse/forecast/config';
import { HORIZON_SECONDS, HORIZONS } from '../../../../exporter/src/analyse/forecast/horizons';

describe('forecast horizons', () => {
  it('are what the config accepts, each with its seconds', () => {
    for (const h of HORIZONS) expect(forecastConfigSchema.parse({ horizons: [h] }).horizons).toEqual([h]);
    expect(forecastConfigSchema.safeParse({ horizons: ['3h'] }).success).toBe(false);
    expect(HORIZONS.map((h) => HORIZON_SECONDS[h])).toEqual([60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 86400, 604800]);
  });
});
