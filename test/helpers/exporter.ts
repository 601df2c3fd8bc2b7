import { compose, type Service } from '../../exporter/src/compose';
import { defaults } from '../../exporter/src/cli/parse';
import type { CliOptions } from '../../exporter/src/cli/flags';
import { parseConfigText } from '../../exporter/src/config/load';
import { silentLogger, type Logger } from '../../exporter/src/log/logger';

/** Starts the whole exporter in-process on 127.0.0.1 with a free port. */
export async function startExporter(
  opts: { cli?: Partial<CliOptions>; configYaml?: string; logger?: Logger; writeRateLimitPerMinute?: number } = {},
): Promise<Service> {
  const cli: CliOptions = { ...defaults(), listenAddress: '127.0.0.1:0', collectIntervalSeconds: 1, ...opts.cli };
  const config = parseConfigText(opts.configYaml ?? '', { source: 'test' });
  return compose({ cli, logger: opts.logger ?? silentLogger, config, writeRateLimitPerMinute: opts.writeRateLimitPerMinute });
}

/** Parses Prometheus text exposition into name{labels} → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

export async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`scrape: HTTP ${res.status}`);
  return parseMetrics(await res.text());
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
