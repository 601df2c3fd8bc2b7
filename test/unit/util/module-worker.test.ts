import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../exporter/src/errors';
import { askWorker, moduleWorker } from '../../../exporter/src/util/module-worker';

/** Runs `name` beside `dir` in a worker and resolves with its one message. */
function answerOf(dir: string, name: string, workerData: unknown): Promise<unknown> {
  const w = moduleWorker(dir, name, { workerData });
  return new Promise((resolve, reject) => {
    w.once('message', (m) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

describe('a worker thread running a module beside the caller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-module-worker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const reply = (from: string) =>
    `require('node:worker_threads').parentPort.postMessage({ from: ${JSON.stringify(from)}, data: require('node:worker_threads').workerData });`;

  it('runs the compiled .js when there is one, with its workerData', async () => {
    writeFileSync(join(dir, 'both.js'), reply('js'));
    writeFileSync(join(dir, 'both.ts'), `const n: number = 1; ${reply('ts')}`);
    await expect(answerOf(dir, 'both', { n: 7 })).resolves.toEqual({ from: 'js', data: { n: 7 } });
  });

  it('runs the TypeScript source through tsx when there is no .js (tests, tsx)', async () => {
    writeFileSync(
      join(dir, 'only.ts'),
      `const typed: string = 'ts'; require('node:worker_threads').parentPort.postMessage({ from: typed, data: require('node:worker_threads').workerData });`,
    );
    await expect(answerOf(dir, 'only', [1, 2])).resolves.toEqual({ from: 'ts', data: [1, 2] });
  });

  it('asks a module for its one answer (answerParent): its value, or the error it met, ConfigError kept; rejects when the thread ends without one', async () => {
    const src = join(__dirname, '..', '..', '..', 'exporter', 'src');
    const answering = (body: string) =>
      `import { answerParent } from ${JSON.stringify(join(src, 'util', 'module-worker'))}; import { ConfigError } from ${JSON.stringify(join(src, 'errors'))}; void ConfigError; answerParent(() => { ${body} });`;
    writeFileSync(join(dir, 'answers.ts'), answering("return { data: require('node:worker_threads').workerData };"));
    writeFileSync(join(dir, 'refuses.ts'), answering("throw new ConfigError('groups[0].comm', 'expected array');"));
    writeFileSync(join(dir, 'fails.ts'), answering("throw new Error('bad module');"));
    writeFileSync(join(dir, 'silent.js'), 'process.exit(3);');
    await expect(askWorker(dir, 'answers', 'x')).resolves.toEqual({ data: 'x' });
    const refused = await askWorker(dir, 'refuses', null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused).toMatchObject({ key: 'groups[0].comm', message: 'groups[0].comm: expected array' });
    await expect(askWorker(dir, 'fails', null)).rejects.toThrow('bad module');
    await expect(askWorker(dir, 'silent', null)).rejects.toThrow(/ended with code 3 without an answer/);
  });
});
