import { corpus, CATS } from './harness';
import { det1, D1, gate, type Opts } from './det1';
import { scoreSeries, tallyByCategory, normalised, type ScoredFile } from '../score';
import { PROFILES } from '../../nab/scorer';
// gated binary outputs per (config, threshold): candidates = config×threshold
const THR = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
function evalCands(cands: Map<string, ScoredFile[]>) {
  const p = PROFILES.standard;
  const tot = (fs: ScoredFile[]) => {
    return tallyByCategory(fs, 0.5, p);
  };
  let best = { c: '', v: -Infinity };
  for (const [c, fs] of cands) {
    const v = tot(fs).get('all')!.raw;
    if (v > best.v) best = { c, v };
  }
  const ins = tot(cands.get(best.c)!);
  let oraw = 0,
    on = 0,
    op = 0;
  const parts: string[] = [];
  for (const h of CATS) {
    let b = { c: '', v: -Infinity };
    for (const [c, fs] of cands) {
      const v = tot(fs.filter((f) => f.category !== h)).get('all')!.raw;
      if (v > b.v) b = { c, v };
    }
    const t = tot(cands.get(b.c)!.filter((f) => f.category === h)).get('all')!;
    oraw += t.raw;
    on += t.null;
    op += t.perfect;
    parts.push(`${h.slice(4, 12)} ${normalised(ins.get(h)!).toFixed(1)}/${normalised(t).toFixed(1)}[${b.c}]`);
  }
  console.log(`IN ${normalised(ins.get('all')!).toFixed(1)} [${best.c}] OOS ${((100 * (oraw - on)) / (op - on)).toFixed(1)} | ${parts.join(' ')}`);
}
export function sweep(name: string, mk: (o: Opts) => Opts, variants: Record<string, Partial<Opts>>, quiet = [1], refr = [24]) {
  const cands = new Map<string, ScoredFile[]>();
  for (const [vn, vo] of Object.entries(variants)) {
    const o = mk({ ...D1, ...vo });
    const raws = corpus.map((s) => det1(s.timestamps, s.values, o));
    for (const thr of THR)
      for (const q of quiet)
        for (const r of refr) {
          cands.set(
            `${vn} t${thr} q${q} r${r}`,
            corpus.map((s, i) => scoreSeries(s, gate(s.timestamps, raws[i], thr, q, r), 0.5)),
          );
        }
  }
  process.stdout.write(name + ': ');
  evalCands(cands);
}
if (require.main === module) {
  sweep('base', (o) => o, { base: {} });
  sweep('base thr only', (o) => o, { base: {} }, [1], [24]);
  sweep('no range', (o) => o, { x: { rangeMargin: null } });
}
/** Each variant alone: best (thr, quiet, refr) in-sample over all, per-category at it. */
export function each(variants: Record<string, Partial<Opts>>, quiet = [0.5], refr = [0, 24], thr = THR) {
  const p = PROFILES.standard;
  for (const [vn, vo] of Object.entries(variants)) {
    const o = { ...D1, ...vo };
    const raws = corpus.map((s) => det1(s.timestamps, s.values, o));
    let best = { k: '', raw: -Infinity, tal: new Map() as ReturnType<typeof tallyByCategory> };
    for (const t of thr)
      for (const q of quiet)
        for (const r of refr) {
          const fs = corpus.map((s, i) => scoreSeries(s, gate(s.timestamps, raws[i], t, q, r), 0.5));
          const tal = tallyByCategory(fs, 0.5, p);
          if (tal.get('all')!.raw > best.raw) best = { k: `t${t} q${q} r${r}`, raw: tal.get('all')!.raw, tal };
        }
    console.log(
      `${vn.padEnd(12)} ${normalised(best.tal.get('all')!).toFixed(1)} [${best.k}] ` +
        CATS.map((c) => `${c.slice(4, 10)} ${normalised(best.tal.get(c)!).toFixed(1)}`).join(' ') +
        ` found ${best.tal.get('all')!.found} fp ${best.tal.get('all')!.falsePositives}`,
    );
  }
}
