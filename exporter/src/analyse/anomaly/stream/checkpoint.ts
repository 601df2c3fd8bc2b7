/** Validation helpers for checkpoints: a state read back is checked field by field, never trusted. */

export class StreamCheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamCheckpointError';
  }
}

export type Json = Record<string, unknown>;

export function obj(x: unknown, path: string): Json {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new StreamCheckpointError(`${path}: not an object`);
  return x as Json;
}

/** A finite number (or, with `nullable`, null: a value not known yet, such as NaN in memory). */
export function num(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new StreamCheckpointError(`${path}.${key}: not a finite number`);
  return v;
}

/** A finite number, or null for "not known" (NaN in memory). */
export function numOrNaN(o: Json, key: string, path: string): number {
  const v = o[key];
  if (v === null) return NaN;
  return num(o, key, path);
}

export function bool(o: Json, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new StreamCheckpointError(`${path}.${key}: not a boolean`);
  return v;
}

/** An array of finite numbers of exactly `length` entries (any length when `length` is undefined). */
export function nums(o: Json, key: string, path: string, length?: number): number[] {
  const v = o[key];
  if (!Array.isArray(v) || (length !== undefined && v.length !== length))
    throw new StreamCheckpointError(`${path}.${key}: not an array of ${length ?? 'some'} numbers`);
  for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) throw new StreamCheckpointError(`${path}.${key}: holds a non-finite entry`);
  return v as number[];
}

/** NaN (unknown) is written as null: JSON has no NaN. */
export function nanToNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
