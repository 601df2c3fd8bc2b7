/**
 * Long fault evaluation (not in CI): one scenario at a time at 5 s sampling,
 * after a quiet baseline of at least 10 minutes. Rewrites the faults section
 * of docs/evaluation.md.
 *
 *   npx tsx eval/faults/run.ts --long            # 10 min quiet, 15 min per scenario at most
 *   npx tsx eval/faults/run.ts --quiet 120 --timeout 300
 */
import { join } from 'node:path';
import { renderTable, runEvaluation } from './harness';
import { writeDocSection } from '../../scripts/doc-section';

const args = process.argv.slice(2);
const num = (name: string, def: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const long = args.includes('--long');

async function main(): Promise<void> {
  const r = await runEvaluation({
    intervalSeconds: num('interval', 5),
    quietSeconds: num('quiet', long ? 600 : 120),
    timeoutSeconds: num('timeout', long ? 900 : 300),
    concurrent: false,
    log: (l) => console.log(l),
  });
  const table = renderTable(r);
  console.log(`\n${table}`);
  const path = join(__dirname, '..', '..', 'docs', 'evaluation.md');
  const body = `Run on ${new Date().toISOString().slice(0, 10)} with \`npx tsx eval/faults/run.ts${long ? ' --long' : ''}\`: the real exporter with its default configuration at ${r.intervalSeconds} s sampling, each fault alone as a real process under a realistic name, with ordinary background processes around it.\n\n${table}`;
  writeDocSection(path, 'faults', body, { title: '# Evaluation', heading: 'Fault scenarios' });
  console.log(`wrote ${path}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
