import { corpus, run, report } from './harness';
import { likelihoodScores, zScoreScores } from '../../nab/detectors';
const t0 = Date.now();
const lik = run((s) => likelihoodScores(s.timestamps, s.values));
console.log(report('old likelihood', new Map([['x', lik]])).line);
console.log(report('zscore', new Map([['x', run((s) => zScoreScores(s.values))]])).line);
console.log((Date.now() - t0) / 1000, 's', corpus.length);
