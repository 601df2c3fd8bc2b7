import { z } from 'zod';
import { SourceError } from '../errors';
import type { Progress } from '../progress';
import { excerpt, request, type Target } from './request';

/** One series of an instant vector. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a matrix: points as [unix ms, value]. */
export interface Series {
  metric: Record<string, string>;
  points: Array<[number, number]>;
}

const value = z.tuple([z.number(), z.string()]);
const answer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value })) }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(value) })) }),
      z.object({ resultType: z.literal('scalar'), result: value }),
      z.object({ resultType: z.literal('string'), result: value }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string() }),
]);

/** Prometheus sample values are strings; +Inf, -Inf and NaN are spelled out. */
function sampleValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/**
 * The few calls of Prometheus's HTTP API the commands need: instant and
 * range queries (POST, so long selectors never hit a URL length limit).
 */
export class PrometheusClient {
  constructor(
    private readonly target: Target,
    private readonly progress: Progress,
  ) {}

  get url(): string {
    return this.target.url;
  }

  /** Instant query at `atMs`; a range selector at the top returns raw samples (a matrix). */
  async instant(expr: string, atMs: number): Promise<Sample[]> {
    const data = await this.call('/api/v1/query', expr, { query: expr, time: String(atMs / 1000) });
    if (data.resultType === 'vector') return data.result.map((r) => ({ metric: r.metric, value: sampleValue(r.value[1]) }));
    if (data.resultType === 'scalar') return [{ metric: {}, value: sampleValue(data.result[1]) }];
    throw new SourceError(`Prometheus at ${this.url} answered a ${data.resultType} to an instant query: ${expr}`);
  }

  /** Raw samples of a range selector (`metric[6h]`) as of `atMs`. */
  async samples(expr: string, atMs: number): Promise<Series[]> {
    const data = await this.call('/api/v1/query', expr, { query: expr, time: String(atMs / 1000) });
    if (data.resultType !== 'matrix') throw new SourceError(`Prometheus at ${this.url} answered a ${data.resultType} to a range selector: ${expr}`);
    return toSeries(data.result);
  }

  /** Range query from `startMs` to `endMs` every `stepSeconds`. */
  async range(expr: string, startMs: number, endMs: number, stepSeconds: number): Promise<Series[]> {
    const data = await this.call('/api/v1/query_range', expr, {
      query: expr,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: String(stepSeconds),
    });
    if (data.resultType !== 'matrix') throw new SourceError(`Prometheus at ${this.url} answered a ${data.resultType} to a range query: ${expr}`);
    return toSeries(data.result);
  }

  private async call(path: string, expr: string, params: Record<string, string>): Promise<Extract<z.infer<typeof answer>, { status: 'success' }>['data']> {
    const res = await this.progress.track(request(this.target, path, { method: 'POST', form: new URLSearchParams(params) }));
    const parsed = answer.safeParse(res.body);
    if (!parsed.success) {
      throw new SourceError(`${this.target.what} at ${this.url} is not a Prometheus API (HTTP ${res.status} to ${path}: ${excerpt(res.text)})`);
    }
    if (parsed.data.status === 'error') {
      throw new SourceError(`Prometheus at ${this.url} rejected a query (${parsed.data.error}): ${expr}`);
    }
    return parsed.data.data;
  }
}

function toSeries(result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>): Series[] {
  return result.map((r) => ({ metric: r.metric, points: r.values.map(([t, v]) => [Math.round(t * 1000), sampleValue(v)] as [number, number]) }));
}
