import { parseCli, parseDuration } from '../../../exporter/src/cli/parse';
import { ConfigError } from '../../../exporter/src/errors';

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCli(argv, { version: '0.0.0-test', env, write: () => undefined });

describe('command-line flags', () => {
  it('has exporter-style defaults', () => {
    const { options } = run([]);
    expect(options.listenAddress).toBe(':9556');
    expect(options.procfsPath).toBe('/proc');
    expect(options.collectIntervalSeconds).toBe(5);
    expect(options.logFormat).toBe('logfmt');
  });

  it('accepts --flag=value and --flag value', () => {
    const { options } = run(['--web.listen-address=127.0.0.1:0', '--collect.interval', '1s', '--log.format=json']);
    expect(options.listenAddress).toBe('127.0.0.1:0');
    expect(options.collectIntervalSeconds).toBe(1);
    expect(options.logFormat).toBe('json');
  });

  it('falls back to PROCSIGHT_* environment variables, flags winning', () => {
    expect(run([], { PROCSIGHT_PATH_PROCFS: '/host/proc' }).options.procfsPath).toBe('/host/proc');
    expect(run(['--path.procfs=/x'], { PROCSIGHT_PATH_PROCFS: '/host/proc' }).options.procfsPath).toBe('/x');
    expect(run([], { PROCSIGHT_HISTORY_INSTANCE: 'host-1:9556' }).options.historyInstance).toBe('host-1:9556');
  });

  it.each([
    [['--collect.interval=0.5s'], /collect\.interval.*between 1s and 60s/],
    [['--collect.interval=fast'], /collect\.interval.*invalid duration/],
    [['--web.listen-address=9556'], /web\.listen-address.*invalid listen address/],
    [['--log.level=loud'], /log\.level/],
    [['--history.prometheus-url=ftp://x'], /history\.prometheus-url.*invalid URL/],
    [['--no-such-flag'], /unknown option/],
  ])('rejects %j with a message naming the flag', (argv, re) => {
    expect(() => run(argv)).toThrow(ConfigError);
    expect(() => run(argv)).toThrow(re);
  });

  it('parses durations', () => {
    expect(parseDuration('1m')).toBe(60);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('5')).toBeNull();
  });
});
