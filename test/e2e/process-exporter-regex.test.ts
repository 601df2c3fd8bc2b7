import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORTER_MAIN, ensureBuilt } from '../helpers/binary';
import { sleep } from '../helpers/exporter';

/**
 * Issue 23, point 3: a process-exporter config whose cmdline regexes use RE2
 * syntax. The real `prometheus-process-exporter` and the procsight binary
 * read the same config file and see the same processes: a POSIX class
 * (`[[:alpha:]]`, which JavaScript reads as a plain bracket expression and
 * so matched nothing before) names the same groups in both; what JavaScript
 * cannot say (`\pL`) is refused at start, naming the pattern and its key,
 * while process-exporter runs with it.
 */
const FLAG = `--psx${process.pid % 10000}-app`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** groupname → num_procs from an exposition. */
function numProcs(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^namedprocess_namegroup_num_procs\{groupname="([^"]*)"\} (\S+)$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

/** Scrapes the real process-exporter started on `config` (it reads /proc at each scrape). */
async function processExporter(config: string): Promise<Map<string, number>> {
  const port = await freePort();
  const pe = spawn(
    'prometheus-process-exporter',
    ['-config.path', config, '-threads=false', '-gather-smaps=false', '-web.listen-address', `127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 100; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (res.ok) return numProcs(await res.text());
      } catch {
        await sleep(100); // not listening yet
      }
    }
    throw new Error('process-exporter did not answer');
  } finally {
    pe.kill('SIGTERM');
  }
}

function procsight(config: string) {
  return spawnSync(process.execPath, [EXPORTER_MAIN, '-config.path', config, '-threads=false', '-gather-smaps=false', '-once-to-stdout-delay=1s'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('process-exporter cmdline regexes in RE2 syntax, against the real process-exporter', () => {
  let dir: string;
  const targets: ChildProcess[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'procsight-pe-regex-'));
    for (const app of ['alpha', 'beta7']) {
      targets.push(spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', `${FLAG}=${app}`], { stdio: 'ignore' }));
    }
    await sleep(300);
  });

  afterAll(() => {
    for (const t of targets) t.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (name: string, pattern: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `process_names:\n  - name: "{{.Matches.app}}"\n    cmdline:\n    - '${FLAG}=(?P<app>${pattern})'\n`);
    return file;
  };

  it('a POSIX class names the same groups in both', async () => {
    const config = writeConfig('posix.yml', '[[:alpha:]]+');
    const theirs = await processExporter(config);
    const r = procsight(config);
    expect(r.status).toBe(0);
    const ours = numProcs(r.stdout);
    const mine = (m: Map<string, number>) => [...m].filter(([g]) => g === 'alpha' || g === 'beta').sort();
    expect(mine(theirs)).toEqual([
      ['alpha', 1],
      ['beta', 1],
    ]); // beta7: the class stops at the digit
    expect(mine(ours)).toEqual(mine(theirs));
  }, 40_000);

  it('a Unicode class, which RE2 has and JavaScript without the u flag does not, is refused naming the pattern; process-exporter runs with it', async () => {
    const config = writeConfig('unicode.yml', '\\pL+');
    const theirs = await processExporter(config);
    expect(theirs.get('alpha')).toBe(1);
    const r = procsight(config);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('process_names[0].cmdline[0]');
    expect(r.stderr).toContain('\\\\pL+'); // the pattern, as a JSON string
    expect(r.stdout).not.toMatch(/namedprocess_namegroup_/);
  }, 40_000);
});
