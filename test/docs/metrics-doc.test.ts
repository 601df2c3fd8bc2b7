import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMetricsDoc } from '../../exporter/src/expose/metrics-doc';

describe('docs/metrics.md', () => {
  it('matches the registry (run `npm run generate` after changing a metric)', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'metrics.md'), 'utf8');
    expect(doc).toBe(renderMetricsDoc());
  });
});
