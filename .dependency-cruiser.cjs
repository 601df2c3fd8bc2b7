/**
 * Import rules checked in CI (`npm run lint:deps`):
 * - the exporter's layers import one way only: read → track → group →
 *   pipeline → analyse → state → remediate → expose → server →
 *   config/cli/commands →
 *   the composition root (compose.ts, main.ts); errors, log, util and
 *   version are usable from every layer;
 * - no cycles;
 * - packages never reach into each other's sources: what they share comes
 *   from @procsight/contract, imported by name.
 */
const LAYERS = ['read', 'track', 'group', 'pipeline', 'analyse', 'state', 'remediate', 'expose', 'server', 'config|cli|commands'];
const SRC = '^exporter/src/';
const ROOT = `${SRC}(compose|main)\\.ts$`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.split('|')[0]}`,
  comment: `${layer} may not import a layer above it (${LAYERS.slice(i + 1).join(', ')}) or the composition root`,
  severity: 'error',
  from: { path: `${SRC}(${layer})/` },
  to: { path: [`${SRC}(${LAYERS.slice(i + 1).join('|')})/`, ROOT] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'base-is-a-leaf',
      comment: 'errors, log, util and version are used by every layer and import none',
      severity: 'error',
      from: { path: `${SRC}(errors\\.ts|version\\.ts|log/|util/)` },
      to: { path: `${SRC}(${LAYERS.join('|')})/` },
    },
    // Type-only cycles vanish at compile time (a generated table typed by the module that reads it).
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    {
      name: 'contract-is-a-leaf',
      comment: 'the contract package imports nothing of procsight',
      severity: 'error',
      from: { path: '^packages/contract/' },
      to: { path: '^(exporter|grafana-plugin|alert-rules|dashboards)/' },
    },
    {
      name: 'no-reaching-into-packages',
      comment: 'packages share code through @procsight/contract only',
      severity: 'error',
      from: { path: '^(exporter|grafana-plugin|alert-rules|dashboards)/' },
      to: { path: '^(exporter|grafana-plugin|packages/contract)/src/', pathNot: '^$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'no-eval-in-product',
      comment: 'evaluation, benchmarks and tests are never imported by the shipped exporter',
      severity: 'error',
      from: { path: SRC },
      to: { path: '^(eval|bench|test|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
