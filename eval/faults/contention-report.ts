/** The contention evaluation's figures and their Markdown table (docs/evaluation.md). */
import type { ContentionRun, ContentionScenario, ContentionSet } from './contention';
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
  /** Runs in which the victim's bottleneck entry named the culprit within `withinSeconds`. */
  labelledInTime: number;
  medianSecondsToLabel: number | null;
  calmLabels: number;
  quietLabels: number;
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
    labelledInTime: runs.filter((r) => r.secondsToLabel !== null && r.secondsToLabel <= withinSeconds).length,
    medianSecondsToLabel: median(runs.flatMap((r) => (r.secondsToLabel === null ? [] : [r.secondsToLabel]))),
    calmLabels: runs.reduce((n, r) => n + r.calmLabels.length, 0),
    quietLabels: runs.reduce((n, r) => n + r.quietLabels.length, 0),
  };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(0)} %`);
const sec = (x: number | null): string => (x === null ? '—' : x.toFixed(0));

const SET_TITLE: Record<ContentionSet, string> = {
  'in-sample': 'In-sample (the scenarios the thresholds were chosen on)',
  'held-out': 'Held out (variants written down before the thresholds were frozen, run once after)',
  'held-out-2': 'Second held-out set (variants written down before the io and memory mends, run once after they were frozen)',
};

export function renderContention(
  runs: readonly ContentionRun[],
  scenarios: readonly ContentionScenario[],
  o: {
    set: ContentionSet;
    runs: number;
    intervalSeconds: number;
    calmSeconds: number;
    timeoutSeconds: number;
    skipped: string[];
    command: string;
    date: string;
  },
): string {
  const rows = scenarios
    .filter((s) => runs.some((r) => r.scenario === s.id))
    .map((s) => {
      const mine = runs.filter((r) => r.scenario === s.id);
      const f = figures(mine);
      const foreign = new Set(mine.flatMap((r) => [...r.foreignCulprits, ...r.calmForeignCulprits]));
      return `| ${s.id}: ${s.title} | ${s.victim.name} ← ${s.culprit.name} | ${f.namedInTime}/${f.runs} | ${pct(f.recall)} | ${pct(f.precision)} | ${sec(f.medianSeconds)} / ${sec(f.maxSeconds)} | ${f.labelledInTime}/${f.runs} | ${sec(f.medianSecondsToLabel)} | ${f.calmCulprits} / ${f.calmLabels} | ${f.quietLabels}${f.quietLabels ? ` (${[...new Set(mine.flatMap((r) => r.quietLabels))].join(', ')})` : ''} | ${foreign.size ? [...foreign].join(', ') : '—'} |`;
    });
  const all = figures(runs);
  return [
    `${SET_TITLE[o.set]}: run on ${o.date} with \`${o.command}\`: the real exporter with its default configuration at ${o.intervalSeconds} s sampling, a fresh exporter per run, the four background processes of the fault scenarios around; per run ${o.calmSeconds} s with the victim alone (calm), then the culprit is started and the run watched for up to ${o.timeoutSeconds} s.`,
    '',
    '| scenario | victim ← culprit | named within 60 s | recall | precision | seconds to name (median / max) | victim labelled with the culprit in its entry within 60 s | seconds to that label (median) | false culprits / wait labels while calm | labels on quiet neighbours | culprits named outside the harness (not judged) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `All scenarios: the right culprit named within 60 s in ${all.namedInTime} of ${all.runs} runs (recall ${pct(all.recall)}), precision ${pct(all.precision)} (${all.falseCulprits} wrong harness culprits while the culprits ran), median ${sec(all.medianSeconds)} s to name; the victim labelled with the culprit in its entry within 60 s in ${all.labelledInTime} of ${all.runs} runs (median ${sec(all.medianSecondsToLabel)} s); in ${o.calmSeconds} s of calm per run, harness culprits named: ${all.calmCulprits}, wait labels on harness groups: ${all.calmLabels}; labels on the quiet background groups: ${all.quietLabels}.`,
    ...(o.skipped.length ? ['', `Skipped: ${o.skipped.join('; ')}.`] : []),
  ].join('\n');
}
