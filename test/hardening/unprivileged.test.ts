import { spawn } from 'node:child_process';
import { EXPORTER_MAIN, ensureBuilt } from '../helpers/binary';
import { parseMetrics, sleep } from '../helpers/exporter';
import { freePort } from '../helpers/prometheus';

/**
 * The exporter as an unprivileged user (nobody) on the real /proc: it starts,
 * exports what it can, and warns once per field it cannot read.
 */
const root = process.getuid?.() === 0;
(root ? describe : describe.skip)('unprivileged run (as nobody)', () => {
  it('starts, exports partial data and warns once per missing field', async () => {
    ensureBuilt();
    const port = await freePort();
    const child = spawn(process.execPath, [EXPORTER_MAIN, `--web.listen-address=127.0.0.1:${port}`, '--collect.interval=1s'], {
      uid: 65534,
      gid: 65534,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      let body = '';
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/metrics`);
          if (r.ok) body = await r.text();
          if (body.includes('procsight_group_processes')) break;
        } catch {
          // not up yet
        }
        await sleep(300);
      }
      await sleep(3000); // a few cycles: warnings must not repeat
      body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const m = parseMetrics(body);
      expect(m.get('procsight_collect_errors_total{reason="permission"}')).toBeGreaterThan(0);
      expect([...m.keys()].filter((k) => k.startsWith('procsight_group_processes{')).length).toBeGreaterThan(3);
      const warned = [...err.matchAll(/field=(\w+)/g)].map((x) => x[1]);
      expect(warned.length).toBeGreaterThan(0);
      expect(new Set(warned).size).toBe(warned.length); // once per field
      expect(err).not.toMatch(/\n\s+at /);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 40_000);
});
