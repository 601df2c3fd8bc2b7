/**
 * The contention evaluation: each scenario of eval/faults/contention.ts run
 * `--runs` times (default 10) with a fresh exporter at its default
 * configuration; culprit recall and precision, time to name the culprit and
 * to label the victim with it, false culprits and labels while the victim is
 * alone. Rewrites the contention section of docs/evaluation.md (the held-out
 * sections with `--set held-out` and `--set held-out-2`) unless --no-write.
 *
 *   npm run eval:contention                      # 10 runs of each scenario (about 45 minutes)
 *   npm run eval:contention -- --set held-out --runs 5
 *   npm run eval:contention -- --set held-out-2 --runs 5
 *   npx tsx eval/faults/contention-run.ts --runs 1 --scenario cpu --no-write
 */
import { join } from 'node:path';
import { writeDocSection } from '../../scripts/doc-section';
import { CONTENTION_SETS, runContention, unavailable, type ContentionRun, type ContentionSet } from './contention';
import { renderContention } from './contention-report';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const num = (name: string, def: number): number => Number(opt(name) ?? def);

async function main(): Promise<void> {
  const runs = num('runs', 10);
  const only = opt('scenario');
  const name = opt('set') ?? 'in-sample';
  if (!(name in CONTENTION_SETS)) throw new Error(`--set must be one of ${Object.keys(CONTENTION_SETS).join(', ')}: ${name}`);
  const set = name as ContentionSet;
  const scenarios = CONTENTION_SETS[set];
  const options = {
    intervalSeconds: num('interval', 1),
    calmSeconds: num('calm', 30),
    timeoutSeconds: num('timeout', 90),
    afterSeconds: num('after', 15),
    log: (l: string) => console.log(l),
  };
  const results: ContentionRun[] = [];
  const skipped: string[] = [];
  for (const s of scenarios) {
    if (only && s.id !== only) continue;
    const why = unavailable(s);
    if (why) {
      skipped.push(`${s.id}: ${why}`);
      console.log(`skipping ${s.id}: ${why}`);
      continue;
    }
    for (let i = 0; i < runs; i++) {
      console.log(`--- ${s.id} run ${i + 1}/${runs}`);
      results.push(await runContention(s, options));
    }
  }
  const report = renderContention(results, scenarios, {
    set,
    runs,
    ...options,
    skipped,
    command: `npm run eval:contention${args.length ? ` -- ${args.join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 10),
  });
  console.log(`\n${report}`);
  if (!args.includes('--no-write')) {
    const path = join(__dirname, '..', '..', 'docs', 'evaluation.md');
    writeDocSection(path, set === 'in-sample' ? 'contention' : `contention-${set}`, report, { heading: 'Contention: naming the culprit' });
    console.log(`wrote ${path}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
