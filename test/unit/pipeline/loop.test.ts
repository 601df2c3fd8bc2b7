import { spawn } from 'node:child_process';
import { silentLogger } from '../../../exporter/src/log/logger';
import { Collector } from '../../../exporter/src/pipeline/collector';
import { CollectionLoop } from '../../../exporter/src/pipeline/loop';
import type { CollectionSnapshot } from '../../../exporter/src/pipeline/types';
import { createLinuxReader } from '../../../exporter/src/read/linux-reader';
import { ProcFs } from '../../../exporter/src/read/procfs';

import { sleep } from '../../helpers/exporter';

/** A loop over the real /proc, watching this process and `watched` pids, with one slow stage that counts overlapping cycles. */
function loopOn(watched: Set<number>) {
  const inner = createLinuxReader({ fs: new ProcFs('/proc'), threadTaskCap: 256, logger: silentLogger, cgroupRoot: '/nonexistent', privileged: true });
  const collector = new Collector({
    reader: { ...inner, listPids: () => inner.listPids().filter((p) => p === process.pid || watched.has(p)) },
    nameOf: (id) => (id.pid === process.pid ? 'self' : 'child'),
    grouper: { maxGroups: 10, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 60_000, maxCgroupsPerGroup: 4 },
    batchSize: 64,
    maxCgroupPressure: 0,
    logger: silentLogger,
  });
  const seen = { inStage: 0, maxInStage: 0, cycles: 0 };
  const loop = new CollectionLoop({
    collector,
    intervalSeconds: 3600,
    logger: silentLogger,
    stages: [
      {
        name: 'slow',
        run: async () => {
          seen.maxInStage = Math.max(seen.maxInStage, ++seen.inStage);
          await sleep(150);
          seen.inStage--;
          seen.cycles++;
        },
      },
    ],
    onCollected: () => undefined,
    onStageError: () => undefined,
    onCycleError: () => undefined,
  });
  return { loop, seen };
}

const hasChild = (s: CollectionSnapshot) => s.groups.some((g) => g.name === 'child' && g.processes > 0);

describe('CollectionLoop.collectNow', () => {
  it('gives a cycle that starts after the call: a process started while a cycle runs is in the next one, shared by every caller meanwhile, never two at once', async () => {
    const watched = new Set<number>();
    const { loop, seen } = loopOn(watched);
    const first = loop.collectNow();
    await sleep(20); // the first cycle has listed the pids and sits in its slow stage
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      watched.add(child.pid!);
      const second = loop.collectNow();
      const third = loop.collectNow();
      expect(third).toBe(second);
      const [a, b] = await Promise.all([first, second]);
      expect(hasChild(a)).toBe(false);
      expect(hasChild(b)).toBe(true);
      expect(seen.cycles).toBe(2);
      expect(seen.maxInStage).toBe(1);
      // Idle again: the next call runs a fresh cycle at once.
      expect(hasChild(await loop.collectNow())).toBe(true);
      expect(seen.cycles).toBe(3);
    } finally {
      child.kill();
      await loop.stop();
    }
  });
});
