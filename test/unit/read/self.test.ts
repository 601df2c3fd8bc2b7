import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSelfProcess } from '../../../exporter/src/read/self';
import { ProcFs } from '../../../exporter/src/read/procfs';

describe("the exporter's own process", () => {
  it('reads CPU, memory, fds and limits of this process', () => {
    const p = readSelfProcess();
    expect(p.cpuSeconds).toBeGreaterThan(0);
    expect(p.residentBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(p.virtualBytes).toBeGreaterThan(p.residentBytes);
    expect(p.openFds).toBeGreaterThan(2);
    expect(Math.abs((p.openFds ?? 0) - readdirSync('/proc/self/fd').length)).toBeLessThan(5);
    const soft = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))![1];
    expect(p.maxFds).toBe(soft === 'unlimited' ? null : Number(soft));
    expect(p.startTimeSeconds).toBeLessThanOrEqual(Date.now() / 1000);
    expect(p.startTimeSeconds).toBeGreaterThan(Date.now() / 1000 - process.uptime() - 2);
  });

  it('leaves out what a missing /proc cannot give', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-noproc-'));
    try {
      const p = readSelfProcess(new ProcFs(dir));
      expect(p).toMatchObject({ virtualBytes: null, openFds: null, maxFds: null });
      expect(p.residentBytes).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
