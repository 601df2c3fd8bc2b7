import type { Signal } from './kinds';

/**
 * The anomaly score at or above which a series is anomalous: the streaming
 * detector's alert threshold, chosen by leave-one-category-out
 * cross-validation on the NAB development corpus (docs/evaluation.md). The
 * exporter's detector, its API's `anomalous` flag, the alert rules, the
 * bottleneck confidences, the dashboards and the Grafana app all read it
 * from here.
 */
export const ANOMALY_THRESHOLD = 0.6;

/** What a series' detector is doing: learning (no score yet), settling after its group restarted (no score), or scoring. */
export const ANOMALY_STATES = ['learning', 'settling', 'scoring'] as const;
export type AnomalyState = (typeof ANOMALY_STATES)[number];

/** Signals with an adaptive band (`procsight_band`): what the drilldown draws behind the group's series. */
export const BAND_SIGNALS = ['cpu', 'memory', 'io_read', 'io_write', 'fds', 'context_switches'] as const satisfies readonly Signal[];
export type BandSignal = (typeof BAND_SIGNALS)[number];

/** Periods of a group's workload pattern (`procsight_group_seasonality`). */
export const SEASONALITY_PERIODS = ['daily', 'weekly'] as const;
export type SeasonalityPeriod = (typeof SEASONALITY_PERIODS)[number];
