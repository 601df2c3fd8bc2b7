import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { useColour, type CommandIo } from '../../exporter/src/commands/context';
import { UsageError } from '../../exporter/src/commands/errors';
import { authHeader, credentialsFrom, splitUrl } from '../../exporter/src/commands/http/auth';
import { renderGradeTable } from '../../exporter/src/commands/grades';
import { COMMAND_NAMES } from '../../exporter/src/commands/names';
import { makeProgress } from '../../exporter/src/commands/progress';

/** What the command line shows on a terminal, how it sends credentials, and what makes `procsight` runnable (bin, lockfile, docs). */
const ROOT = join(__dirname, '..', '..');

function io(over: Partial<CommandIo>, sink: { err: string }): CommandIo {
  return { stdout: () => undefined, stderr: (t) => void (sink.err += t), stdoutIsTty: false, stderrIsTty: false, env: {}, now: () => Date.now(), ...over };
}

describe('terminal behaviour', () => {
  it('colour only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    const sink = { err: '' };
    expect(useColour(io({ stdoutIsTty: true }, sink))).toBe(true);
    expect(useColour(io({ stdoutIsTty: false }, sink))).toBe(false);
    expect(useColour(io({ stdoutIsTty: true, env: { NO_COLOR: '1' } }, sink))).toBe(false);
    expect(useColour(io({ stdoutIsTty: true, env: { TERM: 'dumb' } }, sink))).toBe(false);
  });

  it('the progress indicator draws on stderr only when it is a terminal, only for slow work, and clears its line', async () => {
    const slow = (): Promise<void> => new Promise((r) => setTimeout(r, 700));
    const tty = { err: '' };
    const p = makeProgress(io({ stderrIsTty: true }, tty), 'querying Prometheus');
    await Promise.all([p.track(slow()), p.track(slow())]);
    expect(tty.err).toMatch(/querying Prometheus: [0-2]\/2 answered/);
    expect(tty.err.endsWith('\r\u001b[K')).toBe(true);

    const fast = { err: '' };
    await makeProgress(io({ stderrIsTty: true }, fast), 'q').track(Promise.resolve());
    expect(fast.err).toBe('');

    const pipe = { err: '' };
    await makeProgress(io({ stderrIsTty: false }, pipe), 'q').track(slow());
    expect(pipe.err).toBe('');
  });
});

describe('credentials', () => {
  it('a bearer token or basic auth, from the environment or a URL; never both kinds', () => {
    expect(authHeader(credentialsFrom('prometheus', {}, { PROCSIGHT_PROMETHEUS_BEARER_TOKEN: 'tok' }))).toEqual({ authorization: 'Bearer tok' });
    expect(authHeader(credentialsFrom('exporter', { user: 'a' }, { PROCSIGHT_EXPORTER_PASSWORD: 'b' }))).toEqual({
      authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    expect(credentialsFrom('exporter', {}, { PROCSIGHT_PROMETHEUS_USER: 'x' })).toBeNull();
    expect(() => credentialsFrom('prometheus', { user: 'a' }, { PROCSIGHT_PROMETHEUS_BEARER_TOKEN: 'tok' })).toThrow(UsageError);
    expect(() => credentialsFrom('prometheus', {}, { PROCSIGHT_PROMETHEUS_PASSWORD: 'p' })).toThrow(/needs --prometheus-user/);
    expect(splitUrl('http://u:p%40ss@h:9090/', '--prometheus')).toEqual({ url: 'http://h:9090', fromUrl: { kind: 'basic', user: 'u', password: 'p@ss' } });
    expect(() => splitUrl('ftp://h', '--prometheus')).toThrow(/http or https/);
  });
});

describe('packaging and docs', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'exporter', 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { bin?: Record<string, string> }> };

  it('the bin is a committed, executable shim, and the lockfile names the same file (npm ci links bins from the lockfile, and only files that exist)', () => {
    const bin = join(ROOT, 'exporter', pkg.bin.procsight);
    expect(existsSync(bin)).toBe(true);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(lock.packages.exporter.bin).toEqual(pkg.bin);
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/', 'dist/']));
  });

  it('docs/cli.md shows the grade table of the code and a section per subcommand', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const table = /<!-- grades:start -->\n([\s\S]*?)\n<!-- grades:end -->/.exec(doc)?.[1];
    expect(table).toBe(renderGradeTable());
    for (const name of COMMAND_NAMES.filter((n) => n !== 'help')) expect(doc).toMatch(new RegExp(`^## \`procsight ${name}`, 'm'));
  });
});
