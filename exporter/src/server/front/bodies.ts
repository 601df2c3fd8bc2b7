import type { Rendered } from '../../expose/render';

/**
 * The front's copy of the exposition: the parts' latest renderings and the
 * self-metrics, pushed by the main thread after each rendering. A scrape takes
 * them as they are and never waits for the main thread (its collection,
 * analysis or garbage collection), except in two cases: before the first
 * renderings, and when the front has just seen something the self-metrics
 * count (a refused login, an API error), so that the next scrape shows it; then
 * it asks for fresh self-metrics and waits at most `freshWaitMs`.
 */
export class FrontBodies {
  /** Every part's latest rendering, as many as the main thread has parts (empty before the first). */
  private parts: Array<Rendered | undefined> = [];
  private self: Rendered | null = null;
  private stale = false;
  private partsWaiters: Array<() => void> = [];
  private readonly selfWaiters = new Map<number, (r: Rendered) => void>();
  private nextId = 0;
  /** Bumped by every new rendering: a body made at one version is served until the next. */
  version = 0;

  constructor(
    private readonly opts: {
      freshWaitMs: number;
      askParts(): void;
      askSelf(id: number): void;
    },
  ) {}

  setPart(index: number, count: number, rendered: Rendered): void {
    if (count !== this.parts.length) this.parts = new Array<Rendered | undefined>(count);
    this.parts[index] = rendered;
    this.version++;
    if (this.complete()) for (const w of this.partsWaiters.splice(0)) w();
  }

  /** Self-metrics from the main thread: pushed (id null) or the answer to askSelf(id). */
  setSelf(id: number | null, rendered: Rendered): void {
    this.self = rendered;
    this.version++;
    if (id === null) return;
    const w = this.selfWaiters.get(id);
    this.selfWaiters.delete(id);
    w?.(rendered);
  }

  /** Something the self-metrics count happened here: the next scrape asks for them afresh. */
  markStale(): void {
    this.stale = true;
  }

  /** Every part's latest rendering; before the first, asks the main thread and waits. */
  async latestParts(): Promise<Rendered[]> {
    if (!this.complete()) {
      await new Promise<void>((resolve) => {
        this.partsWaiters.push(resolve);
        this.opts.askParts();
      });
    }
    return this.parts as Rendered[];
  }

  async latestSelf(): Promise<Rendered> {
    if (this.self !== null && !this.stale) return this.self;
    this.stale = false;
    const id = this.nextId++;
    const fresh = new Promise<Rendered>((resolve) => this.selfWaiters.set(id, resolve));
    this.opts.askSelf(id);
    if (this.self === null) return fresh;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.opts.freshWaitMs)));
    const got = await Promise.race([fresh, late]);
    clearTimeout(timer);
    if (got === null) this.selfWaiters.delete(id);
    return got ?? this.self;
  }

  private complete(): boolean {
    // A loop, not every(): every() skips the holes of the array made for `count` parts.
    for (let i = 0; i < this.parts.length; i++) if (this.parts[i] === undefined) return false;
    return this.parts.length > 0;
  }
}
