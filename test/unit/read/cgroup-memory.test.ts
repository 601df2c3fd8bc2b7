import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLayout, parseMemoryLimit, readCgroupMemory } from '../../../exporter/src/read/cgroup-memory';

describe('parseMemoryLimit', () => {
  it('reads bytes, and "max" or v1\'s page-counter maximum as no limit', () => {
    expect(parseMemoryLimit('268435456\n')).toBe(268435456);
    expect(parseMemoryLimit('max\n')).toBeNull();
    expect(parseMemoryLimit('9223372036854771712\n')).toBeNull();
    expect(parseMemoryLimit('garbage')).toBeNull();
  });
});

describe('readCgroupMemory', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'procsight-cgmem-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (dir: string, files: Record<string, string>) => {
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  };

  it('reads usage and limit from the v1 memory hierarchy when the host mounts one', () => {
    write(join(root, 'memory'), { 'memory.limit_in_bytes': '9223372036854771712\n', 'memory.usage_in_bytes': '5\n' });
    write(join(root, 'memory', 'shop'), { 'memory.limit_in_bytes': '268435456\n', 'memory.usage_in_bytes': '260000000\n' });
    expect(readCgroupMemory(memoryLayout(root), '/shop')).toEqual({ usageBytes: 260000000, limitBytes: 268435456 });
    // The root has no limit; a cgroup that is gone reads as nothing.
    expect(readCgroupMemory(memoryLayout(root), '/')).toBeNull();
    expect(readCgroupMemory(memoryLayout(root), '/gone')).toBeNull();
  });

  it('reads memory.current and memory.max on a v2 (unified) host', () => {
    write(root, { 'cgroup.controllers': 'cpu memory io\n' });
    write(join(root, 'shop.slice'), { 'memory.max': '1073741824\n', 'memory.current': '1000\n' });
    write(join(root, 'free.slice'), { 'memory.max': 'max\n', 'memory.current': '1000\n' });
    expect(readCgroupMemory(memoryLayout(root), '/shop.slice')).toEqual({ usageBytes: 1000, limitBytes: 1073741824 });
    expect(readCgroupMemory(memoryLayout(root), '/free.slice')).toBeNull();
  });
});
