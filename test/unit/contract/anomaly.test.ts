import { ANOMALY_STATES, ANOMALY_THRESHOLD, BAND_SIGNALS, SEASONALITY_PERIODS, SIGNALS } from '@procsight/contract';
import { STREAM_ALERT_THRESHOLD, STREAM_DEFAULTS } from '../../../exporter/src/analyse/anomaly/stream';

describe('the anomaly contract', () => {
  it('is the threshold the detector was evaluated with', () => {
    expect(ANOMALY_THRESHOLD).toBe(0.6);
    expect(STREAM_ALERT_THRESHOLD).toBe(ANOMALY_THRESHOLD);
    expect(STREAM_DEFAULTS.alertThreshold).toBe(ANOMALY_THRESHOLD);
  });

  it('names the states, the banded signals (all of them signals) and the periods', () => {
    expect(ANOMALY_STATES).toEqual(['learning', 'settling', 'scoring']);
    for (const s of BAND_SIGNALS) expect(SIGNALS).toContain(s);
    expect(SEASONALITY_PERIODS).toEqual(['daily', 'weekly']);
  });
});
