import { parseCliIsolated } from '../../../exporter/src/cli/isolated';
import { parseCli } from '../../../exporter/src/cli/parse';
import { ConfigError } from '../../../exporter/src/errors';

describe('flags parsed in a worker thread that ends once it has answered', () => {
  it('gives what parsing in place gives, with the environment', async () => {
    const argv = ['--collect.interval=2s', '--web.listen-address=127.0.0.1:0'];
    process.env.PROCSIGHT_LOG_LEVEL = 'debug';
    try {
      const r = await parseCliIsolated(argv, { version: 'v-test' });
      expect(r).toEqual({ ok: true, parsed: parseCli(argv, { version: 'v-test', write: () => undefined }), output: { stdout: '', stderr: '' } });
      expect(r.ok && r.parsed.options.logLevel).toBe('debug');
    } finally {
      delete process.env.PROCSIGHT_LOG_LEVEL;
    }
  });

  it('wraps help as in place when not on a terminal, and at the width of the terminal it is given', async () => {
    const help = async (columns: number | undefined) => (await parseCliIsolated(['--help'], { version: 'v-test', columns })).output.stdout;
    let inPlace = '';
    parseCli(['--help'], { version: 'v-test', write: (s) => (inPlace += s), terminal: { columns: undefined } });
    expect(await help(undefined)).toBe(inPlace);
    const longest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));
    expect(longest(inPlace)).toBeGreaterThan(200);
    expect(longest(await help(200))).toBe(200);
  });

  it('hands back the version and help text for the caller to print', async () => {
    const version = await parseCliIsolated(['--version'], { version: 'v-test' });
    expect(version).toMatchObject({ ok: true, parsed: { exitEarly: true }, output: { stdout: 'v-test\n', stderr: '' } });
    const help = await parseCliIsolated(['--help'], { version: 'v-test' });
    expect(help.output.stdout).toMatch(/--collect\.interval <value>/);
  });

  it('refuses a bad flag with the ConfigError of parsing in place, and what the parser said about it', async () => {
    const r = await parseCliIsolated(['--collect.interval=100ms'], { version: 'v-test' });
    const inPlace = ((): ConfigError => {
      try {
        parseCli(['--collect.interval=100ms'], { version: 'v-test', write: () => undefined });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a refusal');
    })();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(ConfigError);
    expect([r.error.key, r.error.message]).toEqual([inPlace.key, inPlace.message]);
    const unknown = await parseCliIsolated(['--no-such-flag'], { version: 'v-test' });
    expect(unknown).toMatchObject({ ok: false, error: { key: 'flags' }, output: { stderr: expect.stringMatching(/unknown option '--no-such-flag'/) } });
  });
});
