import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import ts from 'typescript';

/**
 * The test layout (issue 25, point 5): test/unit mirrors the sources one to
 * one (`test/unit/<path>.test.ts` tests `exporter/src/<path>.ts`,
 * `test/unit/contract/<file>.test.ts` tests `packages/contract/src/<file>.ts`),
 * so `npm run test:unit` is the fast loop of exactly the unit tests. A source
 * file without a unit test is listed below with the reason: adding a module
 * without a test is a decision someone reads in review, not an accident.
 * Every test file, in test/unit or not, imports what it tests and asserts.
 */
const ROOT = join(__dirname, '..', '..');
const EXPORTER_SRC = 'exporter/src';
const CONTRACT_SRC = 'packages/contract/src';
const UNIT = 'test/unit';

const TYPES = 'types only: nothing runs';
const COMMANDS = 'operator command line: tested end to end by test/commands (a real Prometheus holding a month of series, a real exporter)';
const STREAM = 'a part of the streaming anomaly detector: tested through anomaly/stream/detector and the NAB evaluation (test/eval)';
const SCHEMA = 'zod schema: its defaults and checks are tested through config/load and the modules that parse it';

/** Source files without a unit test, and why. Remove an entry when its test is written. */
const UNTESTED: Record<string, string> = {
  'exporter/src/analyse/forecast/candidates.ts': 'forecast candidates (naive, medians, SES, damped Holt, Theil–Sen, daily profile): tested through analyse/forecast/job',
  'exporter/src/analyse/forecast/fitting.ts': 'the worker\'s jobs per tier: tested through analyse/forecast/forecaster and job',
  'exporter/src/analyse/forecast/history.ts': 'bounded clock-aligned histories: tested through analyse/forecast/forecaster (eviction, bounds, gaps, restore)',
  'exporter/src/analyse/forecast/params.chosen.ts': 'a table written by eval/forecast/cv.ts: checked by the forecast evaluation tests',
  'exporter/src/analyse/forecast/params.ts': 'the shipped parameters: tested through analyse/forecast/job and the forecast evaluation',
  'exporter/src/analyse/forecast/series.ts': 'one group and resource\'s tiers: tested through analyse/forecast/forecaster',
  'exporter/src/analyse/forecast/serve.ts': 'served fits re-anchored on the newest point: tested through analyse/forecast/job (ServedTier)',
  'exporter/src/analyse/forecast/stats.ts': 'medians and quantiles: tested through analyse/forecast/job and cold',
  'exporter/src/analyse/forecast/tiers.ts': 'the tiers\' steps and reach: tested through analyse/forecast/forecaster',
  'exporter/src/analyse/forecast/trend.ts': 'robust trend and trendExhaustion: tested through analyse/forecast/cold',
  'exporter/src/cli/worker.ts': 'the flag parser\'s worker thread: tested through cli/isolated (flags, version and help, refusals)',
  'exporter/src/config/worker.ts': 'the config worker thread: tested through config/isolated (defaults, files, every refusal)',
  'exporter/src/analyse/forecast/worker.ts': 'the worker thread\'s job runner: tested through analyse/forecast/job (runJobs) and forecaster',
  'exporter/src/analyse/anomaly/stream/baseline.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/cells.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/checkpoint.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/gate.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/index.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/lag.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/likelihood.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/math.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/options.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/range.ts': STREAM,
  'exporter/src/analyse/anomaly/stream/seasonal.ts': STREAM,
  'exporter/src/commands/alerts/index.ts': COMMANDS,
  'exporter/src/commands/alerts/model.ts': COMMANDS,
  'exporter/src/commands/alerts/rules-yaml.ts': COMMANDS,
  'exporter/src/commands/alerts/schema.ts': COMMANDS,
  'exporter/src/commands/alerts/tune.ts': COMMANDS,
  'exporter/src/commands/capacity/analyse.ts': COMMANDS,
  'exporter/src/commands/capacity/collect.ts': COMMANDS,
  'exporter/src/commands/capacity/index.ts': COMMANDS,
  'exporter/src/commands/capacity/model.ts': COMMANDS,
  'exporter/src/commands/capacity/render.ts': COMMANDS,
  'exporter/src/commands/capacity/schema.ts': COMMANDS,
  'exporter/src/commands/catalog.ts': COMMANDS,
  'exporter/src/commands/context.ts': COMMANDS,
  'exporter/src/commands/errors.ts': COMMANDS,
  'exporter/src/commands/format.ts': COMMANDS,
  'exporter/src/commands/grades.ts': COMMANDS,
  'exporter/src/commands/http/auth.ts': COMMANDS,
  'exporter/src/commands/http/exporter.ts': COMMANDS,
  'exporter/src/commands/http/prometheus.ts': COMMANDS,
  'exporter/src/commands/http/promql.ts': COMMANDS,
  'exporter/src/commands/http/request.ts': COMMANDS,
  'exporter/src/commands/index.ts': COMMANDS,
  'exporter/src/commands/names.ts': COMMANDS,
  'exporter/src/commands/options.ts': COMMANDS,
  'exporter/src/commands/periods.ts': COMMANDS,
  'exporter/src/commands/progress.ts': COMMANDS,
  'exporter/src/commands/report/collect.ts': COMMANDS,
  'exporter/src/commands/report/html.ts': COMMANDS,
  'exporter/src/commands/report/index.ts': COMMANDS,
  'exporter/src/commands/report/markdown.ts': COMMANDS,
  'exporter/src/commands/report/model.ts': COMMANDS,
  'exporter/src/commands/report/schema.ts': COMMANDS,
  'exporter/src/commands/report/svg.ts': COMMANDS,
  'exporter/src/commands/source.ts': COMMANDS,
  'exporter/src/commands/stats.ts': COMMANDS,
  'exporter/src/commands/status/from-exporter.ts': COMMANDS,
  'exporter/src/commands/status/from-prometheus.ts': COMMANDS,
  'exporter/src/commands/status/index.ts': COMMANDS,
  'exporter/src/commands/status/model.ts': COMMANDS,
  'exporter/src/commands/status/render.ts': COMMANDS,
  'exporter/src/commands/status/schema.ts': COMMANDS,
  'exporter/src/commands/style.ts': COMMANDS,
  'exporter/src/commands/table.ts': COMMANDS,
  'exporter/src/analyse/anomaly/config.ts': SCHEMA,
  'exporter/src/analyse/anomaly/host.ts': 'host baselines: tested through anomaly/engine (hostBaseline, checkpoint)',
  'exporter/src/analyse/anomaly/signals.ts': "a signal's noise floor and bounds: tested through anomaly/engine (CPU clamped to the host's cores)",
  'exporter/src/analyse/bottleneck/config.ts': SCHEMA,
  'exporter/src/analyse/contention/config.ts': SCHEMA,
  'exporter/src/analyse/bottleneck/engine.ts': 'rules plus hysteresis per collection: tested through analyzer (labels, baselines, label stability)',
  'exporter/src/analyse/features/signals.ts': 'signal values of a group: tested through features/store and anomaly/engine',
  'exporter/src/analyse/features/types.ts': TYPES,
  'exporter/src/analyse/forecast/config.ts': SCHEMA,
  'exporter/src/analyse/forecast/types.ts': TYPES,
  'exporter/src/analyse/types.ts': TYPES,
  'exporter/src/cli/flags.ts': 'flag table: tested through cli/parse and test/docs/config-doc',
  'exporter/src/compose.ts': 'composition root: starts the whole exporter (test/integration, test/hardening, test/docs/api-doc)',
  'exporter/src/config/docs.ts': 'renders docs/config.md: compared with the committed file in test/docs/config-doc',
  'exporter/src/config/schema.ts': SCHEMA,
  'exporter/src/errors.ts': 'error classes: every test of a ReadError, ConfigError or CheckpointError uses them',
  'exporter/src/expose/families/forecast.ts': 'forecast series: tested through analyse/forecast/forecaster (exhaustion bound) and test/e2e',
  'exporter/src/expose/families/host.ts': 'host series: checked against the golden file in test/e2e/golden',
  'exporter/src/expose/self-metrics.ts': 'self metrics: tested through expose/registry and the exporter tests (test/integration, test/hardening)',
  'exporter/src/group/config.ts': SCHEMA,
  'exporter/src/group/template.ts': 'name templates: tested through group/namer and config/load (unknown placeholder)',
  'exporter/src/group/types.ts': TYPES,
  'exporter/src/log/logger.ts': 'pino with logfmt output: exercised by every exporter start (test/e2e/startup)',
  'exporter/src/main.ts': 'process entry point: test/e2e/startup (exit codes, --version, SIGTERM)',
  'exporter/src/pipeline/types.ts': TYPES,
  'exporter/src/read/create-reader.ts': 'chooses the Linux or fallback reader: both readers have unit tests',
  'exporter/src/read/kubernetes/config.ts': SCHEMA,
  'exporter/src/read/reader.ts': TYPES,
  'exporter/src/read/types.ts': TYPES,
  'exporter/src/remediate/actions/executor.ts': TYPES,
  'exporter/src/remediate/types.ts': 'action and principal types; describePrincipal is tested through server/routes/remediation (decided_by)',
  'exporter/src/server/bcrypt-worker.ts': 'bcrypt on a worker thread: tested through server/auth',
  'exporter/src/server/front/host.ts': 'starts the HTTP front thread and feeds it: test/integration/http-front (a scrape while the main thread is blocked), test/hardening/tls-auth and test/security/client-certs (TLS, auth)',
  'exporter/src/server/front/messages.ts': 'message types between the main thread and the HTTP front: no code',
  'exporter/src/server/front/worker.ts': 'the HTTP front thread: test/integration/http-front, test/hardening/tls-auth, test/security/client-certs, every test that starts the exporter',
  'exporter/src/server/headers.ts': 'helmet with two defaults off: tested through server/app (headers of every answer)',
  'exporter/src/server/san.ts': 'SAN normalisation: tested through server/web-config and server/auth (IPv6 SANs in both forms)',
  'exporter/src/server/landing.ts': 'landing page: tested through server/app (escaping)',
  'exporter/src/server/routes/forecasts.ts': 'forecast route: its parameters and answer are checked against docs/api.md by test/docs/api-doc',
  'exporter/src/server/routes/groups.ts': 'groups route: tested through server/app and test/docs/api-doc',
  'exporter/src/server/routes/processes.ts': 'processes route: test/integration/real-proc and test/docs/api-doc',
  'exporter/src/server/validate.ts': 'query validation: tested through server/app and server/routes/analysis (400 answers)',
  'exporter/src/state/persist.ts': 'checkpoints of the running exporter: test/hardening/restart',
  'packages/contract/src/analysis.ts': TYPES,
  'packages/contract/src/index.ts': 're-exports only',
  'packages/contract/src/kinds.ts': 'constant lists: tested through contract/catalog and the analysis tests',
  'packages/contract/src/metrics.ts': 'metric names: expose/metrics-doc checks every one is registered, and only those',
};

/** Files (not directories) under `dir` (relative to the repository, '/'-separated) whose names end in `suffix`. */
function files(dir: string, suffix: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return (readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => !lstatSync(join(abs, f)).isDirectory())
    .map((f) => f.split(sep).join('/'))
    .filter((f) => f.endsWith(suffix))
    .map((f) => `${dir}/${f}`)
    .sort();
}

const sources = [...files(EXPORTER_SRC, '.ts'), ...files(CONTRACT_SRC, '.ts')].filter((f) => !f.endsWith('.d.ts'));

/** The source file a unit test is named after. */
function sourceOf(test: string): string {
  const path = test.slice(UNIT.length + 1).replace(/\.test\.ts$/, '.ts');
  return path.startsWith('contract/') ? `${CONTRACT_SRC}/${path.slice('contract/'.length)}` : `${EXPORTER_SRC}/${path}`;
}

/** The unit test a source file would have. */
function unitTestOf(source: string): string {
  return source.startsWith(`${CONTRACT_SRC}/`) ? `${UNIT}/contract/${source.slice(CONTRACT_SRC.length + 1).replace(/\.ts$/, '.test.ts')}` : `${UNIT}/${source.slice(EXPORTER_SRC.length + 1).replace(/\.ts$/, '.test.ts')}`;
}

describe('test/unit mirrors the sources', () => {
  const unitFiles = files(UNIT, '');

  it('holds only test files, each named after a source file that exists', () => {
    expect(unitFiles.length).toBeGreaterThan(0);
    expect(unitFiles.filter((f) => !f.endsWith('.test.ts'))).toEqual([]); // helpers live in test/helpers
    expect(unitFiles.filter((f) => f.endsWith('.test.ts') && !existsSync(join(ROOT, sourceOf(f))))).toEqual([]);
  });

  it('leaves no doubt which package a test/unit/contract file tests', () => {
    expect(existsSync(join(ROOT, EXPORTER_SRC, 'contract'))).toBe(false);
  });

  it('has a unit test for every source file but those listed, with their reasons, as untested', () => {
    expect(sources.length).toBeGreaterThan(50);
    const missing = sources.filter((s) => !existsSync(join(ROOT, unitTestOf(s))) && !(s in UNTESTED));
    expect(missing).toEqual([]);
  });

  it('lists as untested only source files that exist and still have no unit test', () => {
    const stale = Object.keys(UNTESTED).filter((s) => !sources.includes(s) || existsSync(join(ROOT, unitTestOf(s))));
    expect(stale).toEqual([]);
    for (const reason of Object.values(UNTESTED)) expect(reason.length).toBeGreaterThan(10);
  });
});

/** What a test file imports and whether it asserts anything (expect…/assert… calls, found in the syntax tree, not in comments). */
function inspect(text: string, name = 'x.test.ts'): { imports: number; asserts: number } {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, name.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  let imports = 0;
  let asserts = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node)) imports++;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) imports++;
      if (ts.isIdentifier(callee) && /^(expect|assert)/.test(callee.text)) asserts++;
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && /^(expect|assert)$/.test(node.expression.text)) asserts++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, asserts };
}

describe('every test file asserts behaviour', () => {
  const tests = files('test', '.test.ts').concat(files('test', '.test.tsx')).filter((f) => !f.startsWith('test/artifacts/') && !f.includes('/node_modules/'));

  it('finds the test files of every directory, in test/unit and outside it', () => {
    expect(tests.filter((f) => f.startsWith(`${UNIT}/`)).length).toBeGreaterThan(40);
    expect(tests.filter((f) => !f.startsWith(`${UNIT}/`)).length).toBeGreaterThan(20);
  });

  it.each(['imports', 'asserts'] as const)('no test file %s nothing', (what) => {
    expect(tests.filter((f) => inspect(readFileSync(join(ROOT, f), 'utf8'), f)[what] === 0)).toEqual([]);
  });

  it('counts imports and assertions in the code, not in comments or strings', () => {
    expect(inspect("// import x from 'y'; expect(x)\ndescribe('x', () => { it('runs', () => { const s = 'expect(1)'; void s; }); });\n")).toEqual({ imports: 0, asserts: 0 });
    expect(inspect("import { f } from './f';\nit('a', () => { expect(f()).toBe(1); });\n")).toEqual({ imports: 1, asserts: 1 });
    expect(inspect("const { f } = require('./f');\nit('a', () => { expectOnlyReadErrors(f, 'x', { seed: 1 }); expect.assertions(1); });\n")).toEqual({ imports: 1, asserts: 2 });
  });
});
