import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceDocSection, writeDocSection } from '../../scripts/doc-section';

describe('generated doc sections', () => {
  const doc = '# Benchmarks\n\nprose before\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nprose after\n';

  it('replace only the text between their markers', () => {
    expect(replaceDocSection(doc, 'bench', 'new table')).toBe('# Benchmarks\n\nprose before\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\nprose after\n');
  });

  it("write a body literally, also one with String.replace's $ patterns (PromQL, shell)", () => {
    const body = "rate(x[5m]) costs $& and $' and $1";
    expect(replaceDocSection(doc, 'bench', body)).toContain(`<!-- bench:start -->\n${body}\n<!-- bench:end -->`);
  });

  it('append a missing section under its heading, and refuse to write nothing without one', () => {
    expect(replaceDocSection('# Evaluation\n', 'faults', 'rows', { heading: 'Fault scenarios' })).toBe('# Evaluation\n\n## Fault scenarios\n\n<!-- faults:start -->\nrows\n<!-- faults:end -->\n');
    expect(() => replaceDocSection('# Evaluation\n', 'faults', 'rows')).toThrow('no <!-- faults:start --> … <!-- faults:end --> in the doc');
  });

  it('create the doc with its title when the file does not exist, and rewrite it in place after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-doc-'));
    try {
      const path = join(dir, 'benchmarks.md');
      writeDocSection(path, 'bench', 'first', { title: '# Benchmarks', heading: 'Cost' });
      writeDocSection(path, 'bench', 'second', { title: '# Benchmarks', heading: 'Cost' });
      expect(readFileSync(path, 'utf8')).toBe('# Benchmarks\n\n## Cost\n\n<!-- bench:start -->\nsecond\n<!-- bench:end -->\n');
      writeFileSync(path, 'no markers\n');
      expect(() => writeDocSection(path, 'bench', 'x')).toThrow(/no <!-- bench:start -->/);
      expect(readFileSync(path, 'utf8')).toBe('no markers\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
