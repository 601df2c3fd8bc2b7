import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listMetrics, renderMetricsDoc } from '../../exporter/src/expose/metrics-doc';
import * as names from '@procsight/contract';

describe('docs/metrics.md', () => {
  it('matches the registry (run `npm run generate` after changing a metric)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'metrics.md'), 'utf8');
    expect(doc).toBe(renderMetricsDoc());
  });

  it('registers every metric name constant, and only those', () => {
    const constants = Object.entries(names)
      .filter(([k, v]) => typeof v === 'string' && v.startsWith('procsight_') && k !== 'PREFIX')
      .map(([, v]) => v as string)
      .sort();
    const registered = listMetrics().map((m) => m.name).sort();
    expect(registered).toEqual(constants);
  });

  it('follows the naming rules: prefix, _total only on counters, base units', () => {
    for (const m of listMetrics()) {
      expect(m.name.startsWith('procsight_')).toBe(true);
      expect(m.name.endsWith('_total')).toBe(m.type === 'counter');
      expect(m.name).not.toMatch(/_(ms|milliseconds|kb|mb|percent)(_|$)/);
      expect(m.help.length).toBeGreaterThan(10);
    }
  });
});
