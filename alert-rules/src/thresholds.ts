import { ANOMALY_THRESHOLD } from '@procsight/contract';

/**
 * Every alert threshold and `for` duration in one place. The rules, the
 * test-sized variant used by the end-to-end test, and docs/runbooks.md are
 * generated from alert-rules/src/*.ts by `npm run generate`. What differs per
 * installation (Grafana URL, job, runbook base) is in options.ts.
 */
export const THRESHOLDS = {
  /** Severity (0–1) from which a bottleneck pages; the exporter's own hysteresis already debounces labels. */
  bottleneckSeverity: 0.5,
  /** How long a bottleneck must last before it notifies (production). */
  bottleneckFor: '10m',
  /** Memory leaks are slow by nature: they must last longer before anyone is told. */
  memoryLeakFor: '15m',
  /**
   * Combined anomaly score from which a group is unusual: the detector's threshold (the contract's
   * ANOMALY_THRESHOLD, chosen by cross-validation), shared with the exporter and the app.
   */
  anomalyScore: ANOMALY_THRESHOLD,
  /**
   * How long it must hold: a real change keeps the score up for hours (the detector's 50-minute average
   * against a 12-hour baseline), while on benign synthetic groups the combined score crossed the
   * threshold 0.31 times per group-day, held it 15 minutes 0.056 times and 30 minutes 0.014 times
   * (eval/anomaly/explore/alert-rate.ts; docs/evaluation.md): about 3 info alerts a day at 200 groups.
   */
  anomalyFor: '30m',
  /** A group's resident memory above the upper bound of its adaptive band (procsight_band) for this long. */
  memoryAboveBandFor: '30m',
  /** Forecast crossings: within 1 h pages (critical), within 6 h warns. */
  exhaustionCriticalSeconds: 3600,
  exhaustionCriticalFor: '10m',
  exhaustionWarningSeconds: 21600,
  exhaustionWarningFor: '30m',
  /** A declared group with no process for this long. */
  notRunningFor: '5m',
  /** Novelty score of an unfamiliar group taking resources (the anomaly threshold: reached at novelty_cpu_cores or novelty_memory_ratio). */
  noveltyScore: ANOMALY_THRESHOLD,
  noveltyFor: '2m',
  /** Exporter unreachable for this long. */
  exporterDownFor: '2m',
  /** No finished collection for this many seconds. */
  collectionStalledSeconds: 120,
  collectionStalledFor: '2m',
  /** Real collection errors per second (vanished processes are normal churn and excluded). */
  collectErrorsPerSecond: 0.5,
  collectErrorsFor: '15m',
} as const;

/** `for` durations of the end-to-end test (seconds instead of minutes). */
export const TEST_SIZED_FOR = '5s';
