import { listMetrics } from '../../../exporter/src/expose/metrics-doc';
import * as names from '@procsight/contract';

describe('the metric list (docs/metrics.md is rendered from it)', () => {
  it('registers every metric name constant, and only those', () => {
    const constants = Object.entries(names)
      .filter(([k, v]) => typeof v === 'string' && v.startsWith('procsight_') && k !== 'PREFIX')
      .map(([, v]) => v as string)
      .concat(Object.values(names.SELF_PROCESS_NAMES))
      .sort();
    const registered = listMetrics()
      .map((m) => m.name)
      .sort();
    expect(registered).toEqual(constants);
  });

  it('follows the naming rules: prefix, _total only on counters, base units', () => {
    for (const m of listMetrics()) {
      // procsight's own names, or the process_* names every exporter gives its own process.
      expect(m.name.startsWith('procsight_') || (Object.values(names.SELF_PROCESS_NAMES) as string[]).includes(m.name)).toBe(true);
      expect(m.name.endsWith('_total')).toBe(m.type === 'counter');
      expect(m.name).not.toMatch(/_(ms|milliseconds|kb|mb|percent)(_|$)/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });
});
