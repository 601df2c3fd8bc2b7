/**
 * Robust Mahalanobis distance over a group's vector of per-signal robust z
 * scores. The covariance is refit every `retrain` points on the group's own
 * recent z vectors, leaving out the 10 % farthest from the centre (a cheap
 * stand-in for the minimum covariance determinant) and adding a ridge so it
 * always inverts. d² is turned into a normal z by Wilson–Hilferty.
 */
export class RobustMahalanobis {
  private history: number[][] = [];
  private inv: number[][] | null = null;
  private sinceFit = 0;

  constructor(
    private readonly dims: number,
    private readonly opts: { window: number; retrain: number },
  ) {}

  /** Adds a z vector; returns {z, contributions} once a model exists, else null. */
  push(v: readonly number[]): { z: number; contributions: number[] } | null {
    const clipped = v.map((x) => Math.max(-50, Math.min(50, Number.isFinite(x) ? x : 0)));
    this.history.push(clipped);
    if (this.history.length > this.opts.window) this.history.shift();
    this.sinceFit++;
    if (!this.inv || this.sinceFit >= this.opts.retrain) {
      if (this.history.length >= Math.min(this.opts.window, 3 * this.dims)) {
        this.inv = fitInverse(this.history, this.dims);
        this.sinceFit = 0;
      }
    }
    if (!this.inv) return null;
    const w = this.inv.map((row) => row.reduce((s, a, j) => s + a * clipped[j], 0));
    const d2 = Math.max(0, clipped.reduce((s, x, i) => s + x * w[i], 0));
    const k = this.dims;
    const z = (Math.cbrt(d2 / k) - (1 - 2 / (9 * k))) / Math.sqrt(2 / (9 * k));
    return { z, contributions: clipped.map((x, i) => x * w[i]) };
  }

  toJSON(): { history: number[][] } {
    return { history: this.history };
  }

  restore(s: { history: number[][] }): void {
    this.history = s.history.filter((h) => h.length === this.dims).slice(-this.opts.window);
    this.inv = null;
    this.sinceFit = this.opts.retrain;
  }
}

function fitInverse(points: readonly number[][], d: number): number[][] {
  // Trim the 10 % of points with the largest norm, then the sample covariance around zero
  // (z scores are centred by construction).
  const sorted = [...points].sort((a, b) => norm2(a) - norm2(b));
  const kept = sorted.slice(0, Math.max(d + 1, Math.floor(sorted.length * 0.9)));
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const p of kept) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] += p[i] * p[j];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) cov[i][j] /= kept.length;
    cov[i][i] += 0.1; // ridge: flat signals give zero variance
  }
  return invert(cov);
}

function norm2(v: readonly number[]): number {
  return v.reduce((s, x) => s + x * x, 0);
}

/** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
function invert(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const pv = a[c][c] || 1e-12;
    for (let j = 0; j < 2 * n; j++) a[c][j] /= pv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}
