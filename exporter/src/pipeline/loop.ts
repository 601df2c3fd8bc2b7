import type { Logger } from '../log/logger';
import { errorMessage } from '../util/error-message';
import type { Collector, CycleResult } from './collector';
import type { CollectionSnapshot } from './types';

/** Work run after each collection, in order (analysis, forecast ingest, rendering the exposition). */
interface CycleStage {
  /** Label of `procsight_analysis_errors_total{stage}` when it fails. */
  name: string;
  run(snapshot: CollectionSnapshot): void | Promise<void>;
}

export interface CollectionLoopOptions {
  collector: Collector;
  intervalSeconds: number;
  stages: readonly CycleStage[];
  logger: Logger;
  /** After each collection, before the stages (self-metrics). */
  onCollected(result: CycleResult): void;
  /** A stage failed: the previous results of that stage stay served. */
  onStageError(stage: string): void;
  /** A whole cycle failed (the pid list and host could not be read at all). */
  onCycleError(): void;
}

/**
 * Collection on its own timer: collect, then each stage in order. Never two
 * cycles at once (a slow cycle delays the next, it does not pile up); each
 * cycle starts one interval after the previous one ended. Scrapes only read
 * what the last complete cycle produced.
 */
export class CollectionLoop {
  private completed = 0;
  private running: Promise<CollectionSnapshot> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private queued: Promise<CollectionSnapshot> | null = null;

  constructor(private readonly opts: CollectionLoopOptions) {}

  /** Cycles completed with all their stages. */
  cycles(): number {
    return this.completed;
  }

  /**
   * A cycle that starts after this call (tests; the timer keeps running): now,
   * or, while one runs (it may have listed the processes before the call),
   * right after it, shared by every caller meanwhile. Never two at once.
   */
  collectNow(): Promise<CollectionSnapshot> {
    if (!this.running) return this.startCycle();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.startCycle();
      });
    return this.queued;
  }

  private startCycle(): Promise<CollectionSnapshot> {
    const run = this.cycle().finally(() => (this.running = null));
    this.running = run;
    return run;
  }

  /** First cycle right away (the tracker's baseline), then on the timer. */
  async start(): Promise<void> {
    await this.collectNow();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
    if (this.queued) await this.queued.catch(() => undefined);
  }

  private async cycle(): Promise<CollectionSnapshot> {
    const result = await this.opts.collector.cycle();
    this.opts.onCollected(result);
    for (const stage of this.opts.stages) {
      try {
        await stage.run(result.snapshot);
      } catch (e) {
        this.opts.onStageError(stage.name);
        this.opts.logger.error({ stage: stage.name, err: errorMessage(e) }, 'cycle stage failed; serving its previous result');
      }
    }
    this.completed++;
    return result.snapshot;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.collectNow()
        .catch((e: unknown) => {
          this.opts.onCycleError();
          this.opts.logger.error({ err: errorMessage(e) }, 'collection cycle failed');
        })
        .finally(() => this.schedule());
    }, this.opts.intervalSeconds * 1000);
  }
}
