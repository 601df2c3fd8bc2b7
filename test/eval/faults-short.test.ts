import { median, renderTable, runEvaluation } from '../../eval/faults/harness';

/**
 * Short fault evaluation (CI): 1 s sampling, all six faults at once on this
 * machine, faster fault rates and a memory-leak test sized for them (growth of 256 KiB/s for a minute, any growth for 30 s) (test-sized
 * config below). The long version is `npx tsx eval/faults/run.ts --long`.
 */
const TEST_CONFIG = `
bottlenecks:
  memory_leak_evidence_seconds: 60
  memory_leak_min_seconds: 30
  memory_leak_min_bytes_per_second: 262144
`;

describe('fault scenarios (real processes, short version)', () => {
  it('detects every fault, labels at least 5 of 6 right, and labels nothing in the quiet baseline', async () => {
    const r = await runEvaluation({
      intervalSeconds: 1,
      quietSeconds: 30,
      timeoutSeconds: 150,
      concurrent: true,
      configYaml: TEST_CONFIG,
      argOverrides: { 'session-cache': { 'mb-per-min': 60 } },
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(`${renderTable(r)}\n`);
    expect(r.falseBottlenecks.filter((b) => !b.startsWith('kernel_threads/'))).toEqual([]);
    expect(r.scenarios.filter((s) => s.detected)).toHaveLength(6);
    expect(r.scenarios.filter((s) => s.top1Right).length).toBeGreaterThanOrEqual(5);
    expect(median(r.scenarios.map((s) => s.secondsToDetect ?? Infinity))).toBeLessThanOrEqual(60);
  }, 300_000);
});
