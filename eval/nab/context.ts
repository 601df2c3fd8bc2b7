import { ProcsightError } from '../../exporter/src/errors';
import { Cpython2IntDict, cpython2TupleHash } from './cpython2';

/**
 * Contextual anomaly detector: procsight's implementation of the algorithm of
 * Smirnov's "Contextual Anomaly Detector, open source edition" (CAD OSE, one
 * of NAB's published detectors; MIT). Where the robust score and the anomaly
 * likelihood ask "is this level unusual?", this asks "has this *sequence*
 * been seen before?": a two-point blip on a noisy but repetitive series, or a
 * familiar level reached along an unfamiliar path.
 *
 * - Each value is quantised into 2^bits levels over [min, max] and written as
 *   `bits` facts (bit i set or clear: fact 2i+1 or 2i). A value outside the
 *   range gets a longer binary form, hence facts never seen in the range.
 * - A context is a pair (left facts → right facts): what held at the previous
 *   step (its facts plus the contexts that were active) and what holds now.
 *   Contexts are stored as pairs of shared "semi-contexts".
 * - At every step, a context is *selected* when its left side is wholly
 *   present in the previous step, and *active* when its right side is wholly
 *   present now; up to `maxActive` of the active ones (most often confirmed
 *   first) become facts of the next step's left side, so contexts chain into
 *   sequences.
 * - New contexts are learned from the step's (left, right) pair and from the
 *   partial overlaps of known ones (left sides of at most `maxLeftFacts`).
 * - Score = (1 − active/selected + new/candidates) / 2: high when what was
 *   expected did not happen and much of what happened is new.
 * - After a score ≥ `restLevel`, output is 0 for `restPeriod` points: one
 *   report per novelty.
 *
 * Ties are broken as the reference implementation (run by NAB under Python
 * 2.7) breaks them: active contexts of equal count by CPython 2's hash of
 * their fact tuples, candidate contexts in CPython 2's dict order
 * (`cpython2.ts`). So procsight's output is exactly NAB's published contextOSE
 * scores on all 17 AWS files (test/analyse/context.test.ts checks three).
 *
 * Memory grows with the number of distinct contexts (94–6,514 after 4,000
 * points of the NAB series) and is not bounded: the detector is used by the
 * NAB evaluation, not in the live exporter.
 */
export interface ContextDetectorOptions {
  /** Quantisation range; values outside it still work (they get new facts). */
  min: number;
  max: number;
  /** Points of output 0 after a score at or above `restLevel`, and at the start. */
  restPeriod: number;
  restLevel: number;
  /** Contexts whose left side has more facts than this are not derived from overlaps. */
  maxLeftFacts: number;
  /** Active contexts carried into the next step's left side. */
  maxActive: number;
  /** Quantisation: 2^bits levels over [min, max]. */
  bits: number;
}

/** CAD OSE's published defaults (NAB sets restPeriod to a fifth of the probation period). */
const DEFAULT_CONTEXT: Omit<ContextDetectorOptions, 'min' | 'max' | 'restPeriod'> = {
  restLevel: 0.75,
  maxLeftFacts: 7,
  maxActive: 15,
  bits: 3,
};

/** Neuron facts (active contexts) are numbered above every value fact. */
const NEURON_BASE = 2 ** 31;

interface SemiContext {
  id: number;
  facts: readonly number[];
  /** The facts of this semi-context present at the last crossing (in crossing order). */
  crossed: number[];
  /** CPython 2's hash of the facts tuple: the reference's tie-break. */
  hash: bigint;
  /** Left side only: right semi-context id → context id (iterated in the reference's order). */
  contexts: Cpython2IntDict<number>;
}

interface Context {
  id: number;
  /** Times the context has been active. */
  count: number;
  /** Learned directly from a step (not derived from an overlap): overlaps are taken only from these. */
  direct: boolean;
  left: SemiContext;
  right: SemiContext;
}

/** One side's semi-contexts, indexed by fact, with the last crossing with a fact list. */
class SemiContexts {
  readonly all: SemiContext[] = [];
  private readonly byKey = new Map<string, SemiContext>();
  private readonly byFact = new Map<number, SemiContext[]>();
  /** Semi-contexts sharing at least one fact with the last crossed list, oldest first. */
  crossed: SemiContext[] = [];

  get(facts: readonly number[]): SemiContext {
    const key = facts.join(',');
    const known = this.byKey.get(key);
    if (known) return known;
    const s: SemiContext = { id: this.all.length, facts, crossed: [], hash: cpython2TupleHash(facts), contexts: new Cpython2IntDict<number>() };
    this.byKey.set(key, s);
    this.all.push(s);
    for (const f of facts) {
      const list = this.byFact.get(f);
      if (list) list.push(s);
      else this.byFact.set(f, [s]);
    }
    return s;
  }

  cross(facts: readonly number[]): void {
    for (const s of this.crossed) s.crossed = [];
    const touched: SemiContext[] = [];
    for (const f of facts) {
      for (const s of this.byFact.get(f) ?? []) {
        if (s.crossed.length === 0) touched.push(s);
        s.crossed.push(f);
      }
    }
    this.crossed = touched.sort((a, b) => a.id - b.id);
  }
}

export class ContextDetector {
  private readonly opts: ContextDetectorOptions;
  private readonly step: number;
  private readonly left = new SemiContexts();
  private readonly right = new SemiContexts();
  private readonly contexts: Context[] = [];
  /** The previous step's facts and active contexts: the left side of this step's context. */
  private leftFacts: number[] = [];
  /** Points left with output 0. */
  private resting: number;

  constructor(opts: Pick<ContextDetectorOptions, 'min' | 'max' | 'restPeriod'> & Partial<ContextDetectorOptions>) {
    this.opts = { ...DEFAULT_CONTEXT, ...opts };
    const { min, max, restPeriod, bits, maxActive, maxLeftFacts } = this.opts;
    if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) throw new ProcsightError('anomaly_options', `context detector: range [${min}, ${max}] must be finite with min ≤ max`);
    for (const [name, v, hi] of [['bits', bits, 30], ['maxActive', maxActive, 1e6], ['maxLeftFacts', maxLeftFacts, 1e6], ['restPeriod', Math.trunc(restPeriod), 1e9]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > hi) throw new ProcsightError('anomaly_options', `context detector: ${name} must be an integer in [1, ${hi}], got ${v}`);
    }
    if (!(this.opts.restLevel > 0 && this.opts.restLevel <= 1)) throw new ProcsightError('anomaly_options', `context detector: restLevel must be in (0, 1], got ${this.opts.restLevel}`);
    const levels = 2 ** bits - 1;
    this.step = (max > min ? max - min : levels) / levels;
    // The reference starts with a history of one score of 1: the first restPeriod points are quiet.
    this.resting = Math.trunc(restPeriod);
  }

  /** Contexts learned so far. */
  get size(): number {
    return this.contexts.length;
  }

  /** Adds a value; returns its score in [0, 1] (0 while resting). A missing (non-finite) value scores 0 and teaches nothing. */
  push(value: number): number {
    if (!Number.isFinite(value)) return 0;
    const facts = this.valueFacts(value);
    const score = this.learn(facts);
    const out = this.resting > 0 ? 0 : score;
    if (this.resting > 0) this.resting--;
    if (score >= this.opts.restLevel) this.resting = Math.trunc(this.opts.restPeriod);
    return out;
  }

  /** The value's quantisation level as facts: bit i of the level gives fact 2i or 2i + 1. */
  private valueFacts(value: number): number[] {
    const level = Math.trunc((value - this.opts.min) / this.step);
    // As the reference: the digits of Python's bin(level) without its leading "0b" (a negative level
    // keeps "-0b": its characters other than "1" read as clear bits), padded to `bits` digits.
    const digits = (level < 0 ? `-0b${(-level).toString(2)}` : level === 0 ? '' : level.toString(2)).padStart(this.opts.bits, '0');
    // One fact per digit, 2i or 2i + 1: distinct and ascending as built.
    return Array.from(digits, (_, i) => i * 2 + (digits[digits.length - 1 - i] === '1' ? 1 : 0));
  }

  /** A context for (left, right), created if new; `created` says which. */
  private contextOf(leftFacts: readonly number[], rightFacts: readonly number[], direct: boolean): { context: Context; created: boolean } {
    const l = this.left.get(leftFacts);
    const r = this.right.get(rightFacts);
    const id = l.contexts.get(r.id);
    if (id !== undefined) {
      const context = this.contexts[id];
      if (direct) context.direct = true;
      return { context, created: false };
    }
    const context: Context = { id: this.contexts.length, count: 0, direct, left: l, right: r };
    l.contexts.set(r.id, context.id);
    this.contexts.push(context);
    return { context, created: true };
  }

  private learn(facts: number[]): number {
    const candidates = new Set<string>();
    let fresh: Context | null = null;
    if (this.leftFacts.length > 0) {
      candidates.add(`${this.leftFacts.join(',')}|${facts.join(',')}`);
      const c = this.contextOf(this.leftFacts, facts, true);
      if (c.created) fresh = c.context;
    }
    this.right.cross(facts);

    const active: Context[] = [];
    let selected = 0;
    const overlaps: Array<[number[], number[]]> = [];
    for (const l of this.left.crossed) {
      const wholeLeft = l.crossed.length === l.facts.length;
      for (const [rightId, contextId] of l.contexts) {
        // The reference compares the id with False when no context is new, which skips context 0
        // (so a series that never changes, whose only context is 0, scores a flat 0.5).
        if (contextId === (fresh ? fresh.id : 0)) continue;
        const c = this.contexts[contextId];
        const r = this.right.all[rightId];
        if (r.crossed.length === 0) {
          if (wholeLeft) selected++;
          continue;
        }
        const overlap = c.direct && fresh !== null && l.crossed.length <= this.opts.maxLeftFacts;
        if (wholeLeft) {
          selected++;
          if (r.crossed.length === r.facts.length) {
            c.count++;
            active.push(c);
          } else if (overlap) overlaps.push([[...l.crossed], [...r.crossed]]);
        } else if (overlap) overlaps.push([[...l.crossed], [...r.crossed]]);
      }
    }
    for (const [l, r] of overlaps) candidates.add(`${l.join(',')}|${r.join(',')}`);

    active.sort((a, b) => a.count - b.count || compare(a.left.hash, b.left.hash) || compare(a.right.hash, b.right.hash));
    const neurons = active.slice(-this.opts.maxActive).map((c) => NEURON_BASE + c.id);
    this.leftFacts = [...new Set([...facts, ...neurons])].sort((a, b) => a - b);

    let added = fresh ? 1 : 0;
    for (const [l, r] of overlaps) if (this.contextOf(l, r, false).created) added++;
    this.left.cross(this.leftFacts);

    const expectedMissed = selected > 0 ? 1 - active.length / selected : 1;
    const novel = fresh && candidates.size > 0 ? added / candidates.size : 0;
    return (expectedMissed + novel) / 2;
  }
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
