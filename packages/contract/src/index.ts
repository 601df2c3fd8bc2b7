/**
 * @procsight/contract: what the exporter, the Grafana app, the alert rules
 * and the dashboards share. Pure (no Node or browser APIs), imported by name.
 */
export * from './kinds';
export * from './metrics';
export * from './analysis';
export * from './anomaly';
export * from './catalog';
export * from './rank';
export * from './render';
export * from './evidence';
export * from './order';
