import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../exporter/src/config/load';
import { ConfigError } from '../../exporter/src/errors';

const load = (text: string) => parseConfigText(text, { source: 'procsight.yml' });

/** 3,000 YAML parses (4 s of CPU): too long for the unit loop, so it runs with `npm test`. */
describe('config file', () => {
  it('never throws anything but ConfigError on mutated YAML (3,000 seeded cases)', () => {
    const base = readFileSync(join(__dirname, '../../exporter/config.example.yml'), 'utf8');
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const tokens = ['{', '}', '[', ']', ':', '-', '"', "'", '\n', ' ', '\t', '&a', '*a', '!!int', '?', '(', '{{.', '999999999999', '-1', 'null', 'true', '%'];
    let ok = 0;
    let bad = 0;
    for (let i = 0; i < 3000; i++) {
      let t = base;
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) {
        const at = Math.floor(rand() * t.length);
        const r = rand();
        if (r < 0.4) t = t.slice(0, at) + tokens[Math.floor(rand() * tokens.length)] + t.slice(at);
        else if (r < 0.7) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rand() * 20));
        else t = t.slice(0, at);
      }
      try {
        load(t);
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).message.length).toBeGreaterThan(5);
        expect((e as Error).message).not.toMatch(/\n\s+at /); // no stack traces in messages
        bad++;
      }
    }
    expect(ok).toBeGreaterThan(0);
    expect(bad).toBeGreaterThan(0);
  }, 120_000);
});
