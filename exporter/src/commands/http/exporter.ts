import { z } from 'zod';
import { HOST_INFO, LAST_COLLECT_TIMESTAMP_SECONDS } from '@procsight/contract';
import { NoDataError, SourceError } from '../errors';
import type { Progress } from '../progress';
import { excerpt, request, type Target } from './request';

/** What the commands read of GET /api/v1/bottlenecks (docs/api.md); other fields are ignored. */
const bottlenecksAnswer = z.object({
  bottlenecks: z.array(
    z.object({
      group: z.string(),
      kind: z.string(),
      severity: z.number(),
      confidence: z.number(),
      since: z.string(),
      evidence: z.array(
        z.object({ feature: z.string(), value: z.number(), baseline: z.number().nullable(), threshold: z.number(), unit: z.string(), text: z.string() }),
      ),
      suggestions: z.array(z.object({ action: z.string(), title: z.string(), steps: z.array(z.string()), score: z.number() })),
    }),
  ),
});

/** What the commands read of GET /api/v1/forecasts?path=false. */
const forecastsAnswer = z.object({
  forecasts: z.array(
    z.object({
      group: z.string(),
      resource: z.string(),
      exhaustion: z.array(z.object({ limit: z.string(), limit_value: z.number(), seconds: z.number().nullable(), earliest_seconds: z.number().nullable() })),
    }),
  ),
});

export type ApiBottleneck = z.infer<typeof bottlenecksAnswer>['bottlenecks'][number];
export type ApiForecast = z.infer<typeof forecastsAnswer>['forecasts'][number];

export interface ExporterFacts {
  hostname: string | null;
  lastCollectMs: number | null;
}

/** Client of one exporter's JSON API (docs/api.md) and the two facts it reads from /metrics. */
export class ExporterClient {
  constructor(
    private readonly target: Target,
    private readonly progress: Progress,
  ) {}

  get url(): string {
    return this.target.url;
  }

  async bottlenecks(): Promise<ApiBottleneck[]> {
    return (await this.api('/api/v1/bottlenecks', bottlenecksAnswer)).bottlenecks;
  }

  async forecasts(): Promise<ApiForecast[]> {
    return (await this.api('/api/v1/forecasts?path=false', forecastsAnswer)).forecasts;
  }

  /** Hostname (procsight_host_info) and the last collection time, from /metrics; null where absent. */
  async facts(): Promise<ExporterFacts> {
    const res = await this.progress.track(request(this.target, '/metrics', { accept: 'text/plain' }));
    if (res.status !== 200) return { hostname: null, lastCollectMs: null };
    return parseFacts(res.text);
  }

  private async api<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const res = await this.progress.track(request(this.target, path));
    if (res.status === 503)
      throw new NoDataError(`the exporter at ${this.url} has no data yet (its first collection and analysis have not finished; see /readyz)`);
    if (res.status !== 200) throw new SourceError(`${this.url} is not a procsight exporter (HTTP ${res.status} to ${path}: ${excerpt(res.text)})`);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) throw new SourceError(`${this.url} is not a procsight exporter (unexpected answer to ${path}: ${excerpt(res.text)})`);
    return parsed.data;
  }
}

/** The hostname label of procsight_host_info and the value of procsight_last_collect_timestamp_seconds. */
function parseFacts(text: string): ExporterFacts {
  let hostname: string | null = null;
  let lastCollectMs: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${HOST_INFO}{`)) {
      const m = /[{,]hostname="((?:[^"\\]|\\.)*)"/.exec(line);
      if (m) hostname = JSON.parse(`"${m[1]}"`) as string;
    } else if (line.startsWith(`${LAST_COLLECT_TIMESTAMP_SECONDS} `)) {
      const v = Number(line.slice(LAST_COLLECT_TIMESTAMP_SECONDS.length + 1).split(' ')[0]);
      if (Number.isFinite(v)) lastCollectMs = v * 1000;
    }
  }
  return { hostname, lastCollectMs };
}
