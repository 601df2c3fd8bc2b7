/**
 * Forecast worker: every refit runs here (runTierJob over each selected
 * series and tier), never on the collection or scrape thread. A job that
 * throws is reported as a failure of its series; the main thread restarts
 * the worker when it dies or times out.
 */
import { parentPort } from 'node:worker_threads';
import { runTierJob, type TierFit, type TierJob } from './job';
import { errorMessage } from '../../util/error-message';

export type WorkerJob = TierJob & {
  /** 'short' | 'capacity' */
  tier: string;
  /** TimeRing.pushed when the series was copied (the served model catches up on what came since). */
  pushed: number;
};

export type WorkerFit = TierFit & { tier: string; pushed: number };

export type WorkerRequest = { id: number; jobs: WorkerJob[] };
export type WorkerResponse =
  { id: number; results: WorkerFit[]; failures: Array<{ key: string; tier: string; reason: string }> } | { id: number; fatal: string };

/** Runs a batch of jobs (the worker's loop; tests and benchmarks call it directly). */
export function runJobs(jobs: readonly WorkerJob[]): { results: WorkerFit[]; failures: Array<{ key: string; tier: string; reason: string }> } {
  const results: WorkerFit[] = [];
  const failures: Array<{ key: string; tier: string; reason: string }> = [];
  for (const job of jobs) {
    try {
      results.push({ ...runTierJob(job), tier: job.tier, pushed: job.pushed });
    } catch (e) {
      failures.push({ key: job.key, tier: job.tier, reason: errorMessage(e) });
    }
  }
  return { results, failures };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    port.postMessage({ id: req.id, ...runJobs(req.jobs) } satisfies WorkerResponse);
  });
}
