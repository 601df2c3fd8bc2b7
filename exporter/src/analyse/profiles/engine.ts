import type { AnalysisResult } from '../types';
import type { FeatureSource } from '../features/types';
import { mean as meanOf, standardDeviation } from '../../util/statistics';

/** Features of a group's resource profile (log-scaled 15-minute means). */
const DIMENSIONS = [
  ['cpu', (v: number) => Math.log10(1 + 100 * v)],
  ['memory', (v: number) => Math.log10(1 + v / 1048576)],
  ['io_read', (v: number) => Math.log10(1 + v / 1024)],
  ['io_write', (v: number) => Math.log10(1 + v / 1024)],
  ['threads', (v: number) => Math.log10(1 + v)],
  ['fds', (v: number) => Math.log10(1 + v)],
  ['context_switches', (v: number) => Math.log10(1 + v)],
] as const;

/** Seeded PRNG (mulberry32): the same clusters for the same input. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dist2 = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0);

/** k-means++ with a fixed seed; returns centroids and assignments. */
function kmeans(points: number[][], k: number, seed = 1): { centroids: number[][]; assign: number[] } {
  const rnd = prng(seed);
  const centroids: number[][] = [points[Math.floor(rnd() * points.length)]];
  while (centroids.length < k) {
    const d = points.map((p) => Math.min(...centroids.map((c) => dist2(p, c))));
    const total = d.reduce((a, b) => a + b, 0);
    if (total === 0) break;
    let r = rnd() * total;
    let i = 0;
    while (r > d[i] && i < d.length - 1) r -= d[i++];
    centroids.push(points[i]);
  }
  let assign = points.map(() => 0);
  for (let iter = 0; iter < 50; iter++) {
    const next = points.map((p) => centroids.reduce((best, c, j) => (dist2(p, c) < dist2(p, centroids[best]) ? j : best), 0));
    const moved = next.some((a, i) => a !== assign[i]);
    assign = next;
    for (let j = 0; j < centroids.length; j++) {
      const members = points.filter((_, i) => assign[i] === j);
      if (members.length) centroids[j] = members[0].map((_, d) => members.reduce((s, m) => s + m[d], 0) / members.length);
    }
    if (!moved && iter > 0) break;
  }
  return { centroids, assign };
}

/** First two principal components by power iteration on the covariance. */
function pca2(points: number[][]): number[][] {
  const d = points[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => points.reduce((s, p) => s + p[j], 0) / points.length);
  const c = points.map((p) => p.map((x, j) => x - mean[j]));
  const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => c.reduce((s, p) => s + p[i] * p[j], 0) / Math.max(1, points.length - 1)));
  const comps: number[][] = [];
  for (let k = 0; k < 2; k++) {
    let v: number[] = Array.from({ length: d }, (_, j) => (j === k ? 1 : 0.5));
    for (let it = 0; it < 100; it++) {
      let w = cov.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
      for (const u of comps) {
        const dot = w.reduce((s, x, j) => s + x * u[j], 0);
        w = w.map((x, j) => x - dot * u[j]);
      }
      const n = Math.hypot(...w) || 1;
      v = w.map((x) => x / n);
    }
    comps.push(v);
  }
  return c.map((p) => comps.map((u) => p.reduce((s, x, j) => s + x * u[j], 0)));
}

/**
 * Behaviour profiles: groups clustered by resource profile (k-means on
 * standardised log features), a 2-D PCA map, and for each group the cluster
 * it usually belongs to (majority of its last assignments). A group outside
 * its usual cluster is flagged. Cluster ids are matched to the previous run's
 * centroids so they stay stable.
 */
export class ProfileEngine {
  private result: AnalysisResult['profiles'] = { clusters: [], points: [] };
  private readonly history = new Map<string, number[]>();
  /** The previous run's centroids by cluster id, in unstandardised (log-feature) space. */
  private prevCentroids = new Map<number, number[]>();
  private tick = 0;

  constructor(private readonly opts: { k: number; everyTicks: number; historyLength: number } = { k: 4, everyTicks: 12, historyLength: 10 }) {}

  update(features: FeatureSource): AnalysisResult['profiles'] {
    if (this.tick++ % this.opts.everyTicks !== 0) return this.result;
    const names: string[] = [];
    const raw: number[][] = [];
    for (const g of features.groups()) {
      const v = DIMENSIONS.map(([sig, f]) => {
        const s = features.stats(g, sig, '15m') ?? features.stats(g, sig, '5m');
        return s ? f(Math.max(0, s.mean)) : NaN;
      });
      if (v.every(Number.isFinite)) {
        names.push(g);
        raw.push(v);
      }
    }
    if (raw.length < 3) return (this.result = { clusters: [], points: [] });
    const columns = DIMENSIONS.map((_, j) => raw.map((p) => p[j]));
    const mean = columns.map((c) => meanOf(c));
    const sd = columns.map((c) => standardDeviation(c) || 1);
    const z = raw.map((p) => p.map((x, j) => (x - mean[j]) / sd[j]));
    const k = Math.min(this.opts.k, raw.length);
    const { centroids, assign } = kmeans(z, k, 1);
    // Matched in unstandardised space: the standardisation moves when groups come and go.
    const mapping = this.matchIds(centroids.map((c) => c.map((x, d) => x * sd[d] + mean[d])));
    const coords = pca2(z);
    const points = names.map((group, i) => {
      const cluster = mapping[assign[i]];
      const h = this.history.get(group) ?? [];
      const usual = mode(h);
      h.push(cluster);
      if (h.length > this.opts.historyLength) h.shift();
      this.history.set(group, h);
      const known = usual !== null && h.length > 3;
      return {
        group,
        cluster,
        x: round(coords[i][0]),
        y: round(coords[i][1]),
        usualCluster: known ? usual : null,
        leftUsualCluster: known && usual !== cluster,
      };
    });
    for (const g of this.history.keys()) if (!names.includes(g)) this.history.delete(g);
    const clusters = centroids.map((c, j) => ({
      id: mapping[j],
      size: assign.filter((a) => a === j).length,
      centroid: Object.fromEntries(DIMENSIONS.map(([sig], d) => [sig, round(c[d] * sd[d] + mean[d])])),
    }));
    return (this.result = { clusters: clusters.sort((a, b) => a.id - b.id), points });
  }

  /**
   * Maps this run's cluster index to a stable id: pairs of (new, previous)
   * centroids are matched nearest first; a cluster with no previous partner
   * (more clusters than last run) takes the smallest free id, so ids stay in
   * 0 … k − 1 and the groups of clusters that persist keep theirs when the
   * number of clusters changes.
   */
  private matchIds(centroids: number[][]): number[] {
    const ids = centroids.map(() => -1);
    const pairs: Array<[number, number, number]> = [];
    centroids.forEach((c, j) => this.prevCentroids.forEach((p, id) => pairs.push([dist2(c, p), j, id])));
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    const used = new Set<number>();
    for (const [, j, id] of pairs) {
      if (ids[j] < 0 && !used.has(id)) {
        ids[j] = id;
        used.add(id);
      }
    }
    let free = 0;
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] >= 0) continue;
      while (used.has(free)) free++;
      ids[j] = free;
      used.add(free);
    }
    this.prevCentroids = new Map(centroids.map((c, j) => [ids[j], c]));
    return ids;
  }
}

function mode(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
