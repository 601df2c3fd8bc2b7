import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CheckpointError } from '../errors';

/** Bumped whenever the shape of a checkpoint changes; other versions are ignored on restore. */
const CHECKPOINT_FORMAT = 1;

interface CheckpointEnvelope<T> {
  format: number;
  /** procsight version that wrote it (informational). */
  version: string;
  writtenAt: string;
  state: T;
}

/**
 * Writes atomically: a temp file in the same directory, fsync, rename, fsync
 * of the directory. A crash at any point leaves either the old or the new
 * checkpoint, never a torn one.
 */
export function writeCheckpoint<T>(dir: string, name: string, state: T, meta: { version: string }): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const body: CheckpointEnvelope<T> = { format: CHECKPOINT_FORMAT, version: meta.version, writtenAt: new Date().toISOString(), state };
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(body));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dfd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
  return path;
}

/**
 * Reads a checkpoint. Missing → null (first start). Corrupt, unreadable or of
 * another format → CheckpointError (the caller warns once and starts fresh).
 */
export function readCheckpoint<T>(dir: string, name: string, validate: (state: unknown) => state is T): T | null {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CheckpointError(`cannot read checkpoint ${name}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`checkpoint ${name} is corrupt (not JSON)`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || !('format' in parsed) || !('state' in parsed)) {
    throw new CheckpointError(`checkpoint ${name} is corrupt (no envelope)`);
  }
  const env = parsed as CheckpointEnvelope<unknown>;
  if (env.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`checkpoint ${name} has format ${String(env.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (!validate(env.state)) throw new CheckpointError(`checkpoint ${name} does not hold the expected state`);
  return env.state;
}
