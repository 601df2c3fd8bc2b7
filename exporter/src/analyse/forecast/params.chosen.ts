/**
 * Placeholder until `npx tsx eval/forecast/cv.ts --write` writes the parameters chosen by cross-validation.
 */
import type { ForecastParams } from './params';

export const CHOSEN: Pick<ForecastParams, 'medianWindows' | 'seasonalHalfLivesSeconds' | 'selection' | 'tierChoice' | 'calibrationErrors' | 'levelBoost' | 'young'> = {
  medianWindows: [6, 24],
  seasonalHalfLivesSeconds: [3600, 21600],
  selection: 'grouped',
  tierChoice: 'best',
  calibrationErrors: 60,
  levelBoost: 0,
  young: [900, 3600, 21600, 86400].flatMap((horizonSeconds) => [0.5, 2, 1e9].map((ratioBelow) => ({ horizonSeconds, ratioBelow, lo: -1.6, hi: 1.6 }))),
};
