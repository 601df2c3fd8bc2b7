import { ThresholdsMode } from '@grafana/data';
import { GraphThresholdsStyleMode } from '@grafana/schema';
import type { PanelBuilders } from '@grafana/scenes';
import { ANOMALY_THRESHOLD } from '@procsight/contract';

/**
 * How anomaly scores look everywhere in the app: 0–1, green below the
 * detector's threshold and red from it on (the contract's ANOMALY_THRESHOLD,
 * which the exporter's `anomalous` flag and the alert rules use too).
 */
const ANOMALY_STEPS = {
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: ANOMALY_THRESHOLD, color: 'red' },
  ],
};

type TimeseriesBuilder = ReturnType<typeof PanelBuilders.timeseries>;
type StatusHistoryBuilder = ReturnType<typeof PanelBuilders.statushistory>;

/** A time series of anomaly scores: 0–1 with the threshold drawn as a dashed line. */
export function anomalyTimeseries(b: TimeseriesBuilder): TimeseriesBuilder {
  return b
    .setMin(0)
    .setMax(1)
    .setDecimals(2)
    .setThresholds(ANOMALY_STEPS)
    .setCustomFieldConfig('thresholdsStyle', { mode: GraphThresholdsStyleMode.Dashed });
}

/** A status history of anomaly scores: cells coloured by the threshold. */
export function anomalyStatusHistory(b: StatusHistoryBuilder): StatusHistoryBuilder {
  return b.setMin(0).setMax(1).setDecimals(2).setThresholds(ANOMALY_STEPS).setColor({ mode: 'thresholds' });
}

/** Legend of a band series: `usual <what> lower|upper`. */
export const bandLegend = (what: string): string => `usual ${what} {{bound}}`;

/**
 * Draws the adaptive bands (procsight_band, one query per band with
 * `bandLegend`) behind a panel's series: each band's upper series is filled
 * down to its lower one, in grey, without lines.
 */
export function withBands(b: TimeseriesBuilder, whats: string[]): TimeseriesBuilder {
  return b.setOverrides((o) => {
    for (const what of whats) {
      o.matchFieldsWithName(`usual ${what} upper`)
        .overrideColor({ mode: 'fixed', fixedColor: 'rgba(128, 128, 128, 0.6)' })
        .overrideCustomFieldConfig('lineWidth', 0)
        .overrideCustomFieldConfig('fillOpacity', 20)
        .overrideCustomFieldConfig('fillBelowTo', `usual ${what} lower`);
      o.matchFieldsWithName(`usual ${what} lower`)
        .overrideColor({ mode: 'fixed', fixedColor: 'rgba(128, 128, 128, 0.6)' })
        .overrideCustomFieldConfig('lineWidth', 0);
    }
  });
}
