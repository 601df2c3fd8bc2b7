import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, writeCheckpoint } from '../../../exporter/src/state/checkpoint';
import { CheckpointError } from '../../../exporter/src/errors';

const isCounts = (s: unknown): s is { counts: number[] } => typeof s === 'object' && s !== null && Array.isArray((s as { counts?: unknown }).counts);

describe('checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips state and leaves no temp file behind', () => {
    writeCheckpoint(dir, 'analysis.json', { counts: [1, 2, 3] }, { version: 't' });
    expect(readCheckpoint(dir, 'analysis.json', isCounts)).toEqual({ counts: [1, 2, 3] });
    expect(readdirSync(dir)).toEqual(['analysis.json']);
  });

  it('returns null when there is no checkpoint yet', () => {
    expect(readCheckpoint(dir, 'missing.json', isCounts)).toBeNull();
  });

  it.each([
    ['truncated JSON', '{"format":1,"state":{"cou'],
    ['another format', JSON.stringify({ format: 999, version: 'x', writtenAt: '', state: { counts: [] } })],
    ['wrong state shape', JSON.stringify({ format: 1, version: 'x', writtenAt: '', state: { counts: 'no' } })],
    ['no envelope', '[1,2]'],
  ])('rejects a checkpoint with %s as a CheckpointError', (_what, text) => {
    writeFileSync(join(dir, 'analysis.json'), text);
    expect(() => readCheckpoint(dir, 'analysis.json', isCounts)).toThrow(CheckpointError);
  });
});
