import { ReadError } from '../../errors';
import { uint } from './fields';

/** Most CPUs a list may name (the kernel's NR_CPUS ceiling): a guard against absurd ranges. */
const MAX_CPU = 8192;

/**
 * Parses a kernel CPU list (`Cpus_allowed_list` of /proc/<pid>/status,
 * `cpuset.cpus`): `0-3,8,10-11` → [0, 1, 2, 3, 8, 10, 11], sorted, without
 * duplicates. An empty list is empty.
 */
export function parseCpuList(text: string): number[] {
  const t = text.trim();
  if (t === '') return [];
  const out = new Set<number>();
  for (const part of t.split(',')) {
    const dash = part.indexOf('-');
    const lo = uint(dash < 0 ? part : part.slice(0, dash), 'cpu list', 'cpu');
    const hi = dash < 0 ? lo : uint(part.slice(dash + 1), 'cpu list', 'cpu');
    if (hi < lo || hi >= MAX_CPU) throw new ReadError('parse', `cpu list: bad range ${JSON.stringify(part.slice(0, 32))}`);
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((a, b) => a - b);
}

/** Distinct lists remembered by `cpuListOf` (a host has few distinct affinities). */
const CACHE_MAX = 256;
const cache = new Map<string, readonly number[]>();

/**
 * `parseCpuList`, shared per distinct text: thousands of processes with the
 * same affinity hold one frozen array. Throws as parseCpuList does.
 */
export function cpuListOf(text: string): readonly number[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const cpus = Object.freeze(parseCpuList(text));
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, cpus);
  return cpus;
}
