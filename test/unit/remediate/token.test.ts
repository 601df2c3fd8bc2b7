import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readToken, tokenMatches } from '../../../exporter/src/remediate/token';

describe('the remediation bearer token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-token-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('is read from its file without the final newline, and refused when short, spaced or missing', () => {
    expect(readToken(file('ok', '0123456789abcdef0123\n'))).toBe('0123456789abcdef0123');
    expect(() => readToken(file('short', 'abc\n'))).toThrow(/remediation\.webhook_token_file: the token in .* is shorter than 16 characters/);
    expect(() => readToken(file('spaced', '0123456789 abcdef0123'))).toThrow(/holds whitespace/);
    expect(() => readToken(join(dir, 'absent'))).toThrow(/remediation\.webhook_token_file: cannot read .*ENOENT/);
  });

  it('matches only the same token, whatever the length of the one presented', () => {
    expect(tokenMatches('0123456789abcdef0123', '0123456789abcdef0123')).toBe(true);
    expect(tokenMatches('0123456789abcdef0123', '0123456789abcdef012')).toBe(false);
    expect(tokenMatches('0123456789abcdef0123', '')).toBe(false);
    expect(tokenMatches('0123456789abcdef0123', 'x'.repeat(10_000))).toBe(false);
  });
});
