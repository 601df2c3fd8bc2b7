import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { CheckpointError } from '../errors';
import { errnoCode } from '../util/error-message';

/** Bumped whenever the shape of a checkpoint changes; other versions are ignored on restore. */
const CHECKPOINT_FORMAT = 1;
/** gzip's fastest level: the learned state is mostly measured numbers, which a stronger level barely shrinks further. */
const GZIP = { level: 1 };
const gzipAsync = promisify(gzip);

interface CheckpointEnvelope<T> {
  format: number;
  /** procsight version that wrote it (informational). */
  version: string;
  writtenAt: string;
  state: T;
}

function envelope<T>(state: T, meta: { version: string }): string {
  const body: CheckpointEnvelope<T> = { format: CHECKPOINT_FORMAT, version: meta.version, writtenAt: new Date().toISOString(), state };
  return JSON.stringify(body);
}

/**
 * Writes atomically: a temp file in the same directory, fsync, rename, fsync
 * of the directory. A crash at any point leaves either the old or the new
 * checkpoint, never a torn one.
 */
function writeAtomic(dir: string, name: string, data: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
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

/** Writes a checkpoint (gzip-compressed JSON) atomically, all on the calling thread (shutdown, tests). */
export function writeCheckpoint<T>(dir: string, name: string, state: T, meta: { version: string }): string {
  return writeAtomic(dir, name, gzipSync(envelope(state, meta), GZIP));
}

/**
 * The same, compressing in libuv's thread pool: the event loop is held only
 * while the state is turned into JSON and while the file is written.
 */
export async function writeCheckpointAsync<T>(dir: string, name: string, state: T, meta: { version: string }): Promise<string> {
  const data = await gzipAsync(envelope(state, meta), GZIP);
  return writeAtomic(dir, name, data);
}

/**
 * Reads a checkpoint (gzip-compressed, or plain JSON as written before
 * compression). Missing → null (first start). Corrupt, unreadable or of
 * another format → CheckpointError (the caller warns once and starts fresh).
 */
export function readCheckpoint<T>(dir: string, name: string, validate: (state: unknown) => state is T): T | null {
  const path = join(dir, name);
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null;
    throw new CheckpointError(`cannot read checkpoint ${name}: ${errnoCode(e) ?? String(e)}`, { cause: e });
  }
  let parsed: unknown;
  try {
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`checkpoint ${name} is corrupt (not gzip-compressed JSON)`, { cause: e });
  }
  if (typeof parsed !== 'object' || parsed === null || !('format' in parsed) || !('state' in parsed)) {
    throw new CheckpointError(`checkpoint ${name} is corrupt (no envelope)`);
  }
  const env = parsed as CheckpointEnvelope<unknown>;
  if (env.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`checkpoint ${name} has format ${String(env.format)}, expected ${CHECKPOINT_FORMAT}`);
  if (!validate(env.state)) throw new CheckpointError(`checkpoint ${name} does not hold the expected state`);
  return env.state;
}
