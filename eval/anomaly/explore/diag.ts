import { writeFileSync } from 'node:fs';
import { corpus } from './harness';
import { scoreSeries, tallyFile } from '../score';
import { PROFILES } from '../../nab/scorer';
/** Per-file: windows found/total, FPs, raw; writes marks to /tmp/marks.json */
export function diag(bin: Float64Array[], filter = '') {
  const marks: Record<string, number[]> = {};
  let tot = 0;
  corpus.forEach((s, i) => {
    const f = scoreSeries(s, bin[i], 0.5);
    const t = tallyFile(f, 0.5, PROFILES.standard);
    tot += t.raw;
    marks[s.key] = [];
    bin[i].forEach((x, k) => {
      if (x >= 0.5) marks[s.key].push(k);
    });
    if (s.key.includes(filter)) console.log(`${s.key.padEnd(60)} found ${t.found}/${t.windows} fp ${t.falsePositives} raw ${t.raw.toFixed(2)}`);
  });
  writeFileSync('/tmp/marks.json', JSON.stringify(marks));
  console.log('total raw', tot.toFixed(2));
}
