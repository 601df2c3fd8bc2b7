/**
 * Written by `npx tsx eval/forecast/cv.ts --write` on 2026-12-06: the parameters chosen by
 * leave-one-category-out cross-validation, here chosen on all 6 categories of the development corpus
 * (artificialNoAnomaly, artificialWithAnomaly, realAWSCloudwatch, realAdExchange, realTraffic, realTweets). Structure grouped/best/B, calibration errors 60, level +0.
 * See docs/evaluation.md, "Forecasts".
 */
import type { ForecastParams } from './params';

export const CHOSEN: Pick<
  ForecastParams,
  'medianWindows' | 'seasonalHalfLivesSeconds' | 'selection' | 'tierChoice' | 'calibrationErrors' | 'levelBoost' | 'capacityLevelBoost' | 'young'
> = {
  medianWindows: [6, 24, 72],
  seasonalHalfLivesSeconds: [3600, 21600, 86400],
  selection: 'grouped',
  tierChoice: 'best',
  calibrationErrors: 60,
  levelBoost: 0,
  capacityLevelBoost: 0,
  young: [
    {
      horizonSeconds: 900,
      ratioBelow: 0.5,
      lo: -1.361,
      hi: 1.615,
    },
    {
      horizonSeconds: 900,
      ratioBelow: 2,
      lo: -1.155,
      hi: 1.347,
    },
    {
      horizonSeconds: 900,
      ratioBelow: 1000000000,
      lo: -1.586,
      hi: 1.641,
    },
    {
      horizonSeconds: 3600,
      ratioBelow: 0.5,
      lo: -1.245,
      hi: 1.494,
    },
    {
      horizonSeconds: 3600,
      ratioBelow: 2,
      lo: -0.816,
      hi: 0.974,
    },
    {
      horizonSeconds: 3600,
      ratioBelow: 1000000000,
      lo: -1.6,
      hi: 1.726,
    },
    {
      horizonSeconds: 21600,
      ratioBelow: 0.5,
      lo: -0.895,
      hi: 1.114,
    },
    {
      horizonSeconds: 21600,
      ratioBelow: 2,
      lo: -1.363,
      hi: 1.991,
    },
    {
      horizonSeconds: 21600,
      ratioBelow: 1000000000,
      lo: -1.177,
      hi: 1.537,
    },
    {
      horizonSeconds: 86400,
      ratioBelow: 0.5,
      lo: -0.436,
      hi: 0.544,
    },
    {
      horizonSeconds: 86400,
      ratioBelow: 2,
      lo: -0.982,
      hi: 0.758,
    },
    {
      horizonSeconds: 86400,
      ratioBelow: 1000000000,
      lo: -1.175,
      hi: 0.771,
    },
  ],
};
