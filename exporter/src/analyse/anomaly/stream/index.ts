/**
 * procsight's streaming univariate anomaly detector (self-contained: no
 * imports from the rest of the exporter; its threshold is the contract's).
 * See detector.ts.
 */
export { StreamDetector } from './detector';
export { STREAM_DEFAULTS, STREAM_ALERT_THRESHOLD, type StreamDetectorOptions } from './options';
export { AlertGate, type GateOptions } from './gate';
export { StreamCheckpointError } from './checkpoint';
