import { CheckpointError } from '../errors';
import type { Logger } from '../log/logger';
import { isAnalyzerState, type Analyzer } from '../analyse/analyzer';
import type { Forecaster } from '../analyse/forecast/forecaster';
import { isOutcomeTrackerState, type OutcomeTracker, type OutcomeTrackerState } from '../analyse/feedback/outcomes';
import { readCheckpoint, writeCheckpoint, writeCheckpointAsync } from './checkpoint';
import { errorMessage } from '../util/error-message';

const FILE = 'procsight-state.json';

interface State {
  analyzer: ReturnType<Analyzer['toJSON']>;
  forecaster: ReturnType<Forecaster['toJSON']>;
  /** Measured efficacy of applied actions (absent in checkpoints written before it existed). */
  outcomes?: OutcomeTrackerState;
}

/** A change worth keeping soon (operator feedback) is checkpointed at most this long after it. */
const SOON_MS = 5_000;

function isState(x: unknown): x is State {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<State>;
  return isAnalyzerState(s.analyzer) && typeof s.forecaster === 'object' && s.forecaster !== null && s.forecaster.version === 1;
}

/**
 * Learned state that survives restarts: anomaly baselines, bottleneck label
 * state, suggestion feedback and forecast histories, written atomically
 * (gzip-compressed JSON) under --storage.path every `everyMs` and on
 * shutdown. A missing checkpoint is a
 * first start; a corrupt or other-version one is ignored with one warning.
 */
export class Persistence {
  private timer: NodeJS.Timeout | null = null;
  /** A background write in progress. */
  private writing = false;

  constructor(
    private readonly opts: {
      dir: string;
      version: string;
      analyzer: Analyzer;
      forecaster: Forecaster;
      outcomes?: OutcomeTracker;
      logger: Logger;
      everyMs: number;
      onError(op: 'write' | 'restore'): void;
    },
  ) {}

  /** Restores what the last run learned; returns whether anything was restored. */
  restore(nowMs: number): boolean {
    try {
      const s = readCheckpoint(this.opts.dir, FILE, isState);
      if (!s) return false;
      this.opts.analyzer.restore(s.analyzer, nowMs);
      this.opts.forecaster.restore(s.forecaster);
      if (this.opts.outcomes && isOutcomeTrackerState(s.outcomes)) this.opts.outcomes.restore(s.outcomes);
      this.opts.logger.info({ dir: this.opts.dir }, 'restored learned baselines and forecast history from the checkpoint');
      return true;
    } catch (e) {
      this.opts.onError('restore');
      const why = e instanceof CheckpointError ? e.message : errorMessage(e);
      this.opts.logger.warn({ dir: this.opts.dir, reason: why }, 'ignoring the checkpoint: starting with empty baselines');
      return false;
    }
  }

  private state(): State {
    return {
      analyzer: this.opts.analyzer.toJSON(),
      forecaster: this.opts.forecaster.toJSON(),
      ...(this.opts.outcomes ? { outcomes: this.opts.outcomes.toJSON() } : {}),
    };
  }

  private failed(e: unknown): void {
    this.opts.onError('write');
    this.opts.logger.warn({ dir: this.opts.dir, err: errorMessage(e) }, 'cannot write checkpoint');
  }

  /** Writes a checkpoint now, on this thread (shutdown). */
  save(): void {
    try {
      writeCheckpoint(this.opts.dir, FILE, this.state(), { version: this.opts.version });
    } catch (e) {
      this.failed(e);
    }
  }

  /** Writes a checkpoint, compressing off the event loop; a write still in progress skips this one. */
  async saveInBackground(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      await writeCheckpointAsync(this.opts.dir, FILE, this.state(), { version: this.opts.version });
    } catch (e) {
      this.failed(e);
    } finally {
      this.writing = false;
    }
  }

  private soon: NodeJS.Timeout | null = null;

  start(): void {
    this.timer = setInterval(() => void this.saveInBackground(), this.opts.everyMs);
    this.timer.unref();
  }

  /** Checkpoints within a few seconds (once for a burst of changes), not only at the next interval. */
  saveSoon(): void {
    if (this.soon || !this.timer) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      // A write already under way may hold the state from before the change.
      if (this.writing) this.saveSoon();
      else void this.saveInBackground();
    }, SOON_MS);
    this.soon.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    this.save();
  }
}
