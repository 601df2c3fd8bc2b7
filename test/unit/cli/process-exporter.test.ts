import { spawnSync } from 'node:child_process';
import { PROCESS_EXPORTER_DEFAULTS, processExporterManual, translateProcessExporterArgs } from '../../../exporter/src/cli/process-exporter';
import { parseCli } from '../../../exporter/src/cli/parse';
import { ConfigError } from '../../../exporter/src/errors';

const run = (argv: string[]) => parseCli(argv, { version: 'test', env: {}, write: () => undefined });

describe("process-exporter's command line", () => {
  it("leaves procsight's own flags alone", () => {
    expect(translateProcessExporterArgs(['--web.listen-address=:1', '--path.procfs', '/host/proc'])).toEqual({
      argv: ['--web.listen-address=:1', '--path.procfs', '/host/proc'],
      processExporter: null,
      man: false,
    });
  });

  it("translates the flags both have and keeps process-exporter's port", () => {
    const t = translateProcessExporterArgs(['-config.path', '/etc/pe.yml', '-procfs=/host/proc', '-web.telemetry-path', '/m', '-debug']);
    expect(t.argv).toEqual([
      '--web.listen-address=:9256',
      '--config.file=/etc/pe.yml',
      '--path.procfs=/host/proc',
      '--web.telemetry-path=/m',
      '--log.level=debug',
    ]);
    expect(t.processExporter).toEqual(PROCESS_EXPORTER_DEFAULTS);
    expect(translateProcessExporterArgs(['-threads=false', '-web.listen-address', '127.0.0.1:0']).argv).toEqual(['--web.listen-address=127.0.0.1:0']);
    expect(translateProcessExporterArgs(['-threads=false', '--web.listen-address=:7']).argv).toEqual(['--web.listen-address=:7']);
  });

  it('reads Go booleans and durations, one dash or two', () => {
    const t = translateProcessExporterArgs([
      '--children=false',
      '-threads=0',
      '-gather-smaps=F',
      '-recheck-with-time-limit',
      '1m30s',
      '-remove-empty-groups',
      '-once-to-stdout-delay=500ms',
    ]);
    expect(t.processExporter).toMatchObject({
      children: false,
      threads: false,
      gatherSmaps: false,
      recheck: true,
      recheckTimeLimitSeconds: 90,
      removeEmptyGroups: true,
      onceToStdoutDelaySeconds: 0.5,
    });
    expect(() => translateProcessExporterArgs(['-threads=maybe'])).toThrow(/-threads.*invalid boolean/);
    expect(() => translateProcessExporterArgs(['-recheck-with-time-limit=soon'])).toThrow(ConfigError);
    expect(() => translateProcessExporterArgs(['-procnames'])).toThrow(/needs an argument/);
  });

  it('parses -procnames and -namemapping as process-exporter does, and refuses them beside -config.path', () => {
    const t = translateProcessExporterArgs(['-procnames', 'bash,,java', '-namemapping', 'python2,([^/]+)\\.py,java,-jar\\s+([^/]+).jar']);
    expect(t.processExporter?.procnames).toEqual(['bash', 'java']);
    expect(t.processExporter?.namemapping).toEqual([
      { comm: 'python2', regex: '([^/]+)\\.py' },
      { comm: 'java', regex: '-jar\\s+([^/]+).jar' },
    ]);
    expect(() => translateProcessExporterArgs(['-namemapping', 'a,b,c'])).toThrow(/odd number of tokens/);
    expect(() => translateProcessExporterArgs(['-namemapping', 'a,'])).toThrow(/token 1 is empty/);
    expect(() => translateProcessExporterArgs(['-config.path', 'x.yml', '-procnames', 'bash'])).toThrow(/cannot be used with -namemapping or -procnames/);
  });

  it('knows every flag of the installed process-exporter (prometheus-process-exporter -h)', () => {
    // Go's flag package prints the usage on stderr (and exits 0 or 2 by version).
    const help = spawnSync('prometheus-process-exporter', ['-h'], { encoding: 'utf8' }).stderr;
    const flags = [...help.matchAll(/^ {2}-([\w.-]+)/gm)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(10);
    const valueOf: Record<string, string> = {
      'web.listen-address': ':1',
      'web.telemetry-path': '/m',
      namemapping: 'a,b',
      'config.path': 'x.yml',
      procfs: '/p',
      procnames: 'a',
      'web.config.file': 'w.yml',
    };
    for (const f of flags.filter((x) => !['version', 'man'].includes(x))) {
      const t = translateProcessExporterArgs([`-${f}=${valueOf[f] ?? 'true'}`]);
      expect([f, t.processExporter !== null]).toEqual([f, true]);
    }
  });

  it('no longer exits on them: parseCli turns them into options and --compat.process-exporter', () => {
    const { options } = run(['-config.path', '/etc/pe.yml', '-threads=false']);
    expect(options.configFile).toBe('/etc/pe.yml');
    expect(options.listenAddress).toBe(':9256');
    expect(options.processExporter?.threads).toBe(false);
    expect(run(['--compat.process-exporter']).options.compatProcessExporter).toBe(true);
    expect(run(['--compat.process-exporter=false']).options.compatProcessExporter).toBe(false);
    expect(run([]).options.processExporter).toBeNull();
    expect(() => run(['-nosuchflag'])).toThrow(ConfigError);
  });

  it('prints its manual for -man', () => {
    let out = '';
    expect(parseCli(['-man'], { version: 'test', env: {}, write: (s) => (out += s) }).exitEarly).toBe(true);
    expect(out).toBe(processExporterManual());
    expect(out).toContain('-procnames');
  });
});
