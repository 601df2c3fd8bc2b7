// Renders every series (windows shaded, HTM detections red ticks, extra marks blue) to SVG pages.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus } from './harness';
import { defaultNabDir, parseSeriesCsv } from '../data';
const dir = defaultNabDir();
const W = 1400,
  H = 150;
const marks: Record<string, number[]> = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : {};
const filter = process.argv[2] ?? '';
const sel = corpus.filter((s) => s.key.includes(filter));
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H * sel.length}" font-size="11" font-family="sans-serif">`;
sel.forEach((s, k) => {
  const y0 = k * H;
  const n = s.values.length;
  const t0 = s.timestamps[0],
    t1 = s.timestamps[n - 1];
  const X = (t: number) => 5 + ((t - t0) / (t1 - t0)) * (W - 10);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of s.values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const Y = (v: number) => y0 + H - 5 - ((v - lo) / (hi - lo || 1)) * (H - 25);
  for (const [a, b] of s.windows) svg += `<rect x="${X(a)}" y="${y0 + 15}" width="${X(b) - X(a)}" height="${H - 20}" fill="#ffe9a0"/>`;
  const prob = Math.min(Math.floor(0.15 * n), 750);
  svg += `<line x1="${X(s.timestamps[prob])}" x2="${X(s.timestamps[prob])}" y1="${y0 + 15}" y2="${y0 + H}" stroke="#999" stroke-dasharray="3"/>`;
  let d = '';
  s.values.forEach((v, i) => {
    d += `${i ? 'L' : 'M'}${X(s.timestamps[i]).toFixed(1)},${Y(v).toFixed(1)}`;
  });
  svg += `<path d="${d}" fill="none" stroke="#333" stroke-width="0.6"/>`;
  try {
    const text = readFileSync(join(dir, 'results/numenta', `numenta_${s.key.split('/')[1]}`), 'utf8');
    const lines = text.trim().split('\n').slice(1);
    const ts = parseSeriesCsv(text).timestamps;
    lines.forEach((l, i) => {
      if (Number(l.split(',')[2]) >= 0.5421876907 && i >= prob) svg += `<line x1="${X(ts[i])}" x2="${X(ts[i])}" y1="${y0 + 15}" y2="${y0 + 30}" stroke="red"/>`;
    });
  } catch {
    /* none */
  }
  for (const i of marks[s.key] ?? [])
    svg += `<line x1="${X(s.timestamps[i])}" x2="${X(s.timestamps[i])}" y1="${y0 + 30}" y2="${y0 + 45}" stroke="blue" stroke-width="1.5"/>`;
  svg += `<text x="8" y="${y0 + 12}">${s.key} n=${n} [${lo}, ${hi}]</text>`;
});
svg += '</svg>';
writeFileSync('/tmp/plot.svg', svg);
