/** The contention evaluation's figures and their Markdown table (docs/evaluation.md). */
import { type ContentionRun, CONTENTION_SCENARIOS } from './contention';
import { median } from './harness';

interface ContentionFigures {
  runs: number;
  /** Runs in which the right culprit was named within `withinSeconds`. */
  namedInTime: number;
  recall: number;
  /** Right namings / all namings of the harness's groups as culprits while the culprit ran. */
  precision: number | null;
  medianSeconds: number | null;
  maxSeconds: number | null;
  falseCulprits: number;
  calmCulprits: number;
}

/** Figures of a set of runs; the Done-when of issue 20 asks for the culprit within 60 s. */
function figures(runs: readonly ContentionRun[], withinSeconds = 60): ContentionFigures {
  const times = runs.flatMap((r) => (r.secondsToName === null ? [] : [r.secondsToName]));
  const right = runs.filter((r) => r.named).length;
  const wrong = runs.reduce((n, r) => n + r.falseCulprits.length, 0);
  return {
    runs: runs.length,
    namedInTime: runs.filter((r) => r.secondsToName !== null && r.secondsToName <= withinSeconds).length,
    recall: runs.length ? right / runs.length : 0,
    precision: right + wrong > 0 ? right / (right + wrong) : null,
    medianSeconds: median(times),
    maxSeconds: times.length ? Math.max(...times) : null,
    falseCulprits: wrong,
    calmCulprits: runs.reduce((n, r) => n + r.calmCulprits.length, 0),
  };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(0)} %`);
const sec = (x: number | null): string => (x === null ? '—' : x.toFixed(0));

export function renderContention(
  runs: readonly ContentionRun[],
  o: { runs: number; intervalSeconds: number; calmSeconds: number; timeoutSeconds: number; skipped: string[]; command: string; date: string },
): string {
  const rows = CONTENTION_SCENARIOS.filter((s) => runs.some((r) => r.scenario === s.id)).map((s) => {
    const mine = runs.filter((r) => r.scenario === s.id);
    const f = figures(mine);
    const foreign = new Set(mine.flatMap((r) => [...r.foreignCulprits, ...r.calmForeignCulprits]));
    return `| ${s.id}: ${s.title} | ${s.victim.name} ← ${s.culprit.name} | ${f.namedInTime}/${f.runs} | ${pct(f.recall)} | ${pct(f.precision)} | ${sec(f.medianSeconds)} / ${sec(f.maxSeconds)} | ${mine.filter((r) => r.labelWithCulprit).length}/${f.runs} | ${f.calmCulprits} | ${foreign.size ? [...foreign].join(', ') : '—'} |`;
  });
  const all = figures(runs);
  return [
    `Run on ${o.date} with \`${o.command}\`: the real exporter with its default configuration at ${o.intervalSeconds} s sampling, a fresh exporter per run, the four background processes of the fault scenarios around; per run ${o.calmSeconds} s with the victim alone (calm), then the culprit is started and the run watched for up to ${o.timeoutSeconds} s.`,
    '',
    '| scenario | victim ← culprit | named within 60 s | recall | precision | seconds to name (median / max) | victim labelled, culprit in its entry | false culprits while calm | culprits named outside the harness (not judged) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `All scenarios: the right culprit named within 60 s in ${all.namedInTime} of ${all.runs} runs (recall ${pct(all.recall)}), precision ${pct(all.precision)} (${all.falseCulprits} wrong harness culprits while the culprits ran), median ${sec(all.medianSeconds)} s to name; harness culprits named in ${o.calmSeconds} s of calm per run: ${all.calmCulprits}.`,
    ...(o.skipped.length ? ['', `Skipped: ${o.skipped.join('; ')}.`] : []),
  ].join('\n');
}
