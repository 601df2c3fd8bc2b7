import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDoc } from '../../exporter/src/config/docs';
import { FLAGS } from '../../exporter/src/cli/flags';

const root = join(__dirname, '..', '..');

describe('docs/config.md', () => {
  const doc = readFileSync(join(root, 'docs', 'config.md'), 'utf8');
  it('matches the flags and schema (run `npm run generate` after changing them)', () => {
    expect(doc).toBe(renderConfigDoc(readFileSync(join(root, 'exporter', 'config.example.yml'), 'utf8')));
  });
  it('documents every flag and the main keys', () => {
    for (const f of FLAGS) expect(doc).toContain(`--${f.name}`);
    for (const k of ['groups[].cmdline', 'process_names[].exe', 'limits.max_groups', 'anomaly', 'bottlenecks', 'forecast']) expect(doc).toContain(`\`${k}\``);
  });
});
