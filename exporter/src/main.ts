#!/usr/bin/env node
/**
 * procsight exporter entry point: flags → config → service. A bad flag or
 * config exits with code 2 and a message naming the key; SIGTERM/SIGINT
 * stop cleanly (checkpoint, close the server).
 */
import { parseCliIsolated } from './cli/isolated';
import { ConfigError, ProcsightError } from './errors';
import { createLogger } from './log/logger';
import { compose, type Service } from './compose';
import { buildInfo, versionText } from './version';
import { errorMessage } from './util/error-message';
import { isCommand } from './commands/names';
import { setFlagsFromString } from 'node:v8';

/**
 * The old generation grows by at most a fifth before a full collection: the
 * exporter turns over a steady stream of short-lived samples, and V8's
 * default growth let the heap double between collections (RSS swinging
 * between about 100 and 170 MB at 1,000 processes; docs/benchmarks.md).
 * Read by V8 at each collection, so setting it at start-up is enough.
 */
const HEAP_GROWING_PERCENT = 20;

/**
 * libuv's thread pool (four threads by default, started on first use) runs
 * only the exporter's background compressions (checkpoints, large API
 * answers) and DNS lookups, none on a scrape's path (./expose/gzip.ts): one
 * thread is enough, and every thread that allocates keeps a malloc arena of
 * its own (RSS measured in docs/benchmarks.md). A UV_THREADPOOL_SIZE the
 * user set is kept; the subcommands keep libuv's default.
 */
const THREAD_POOL_SIZE = '1';

async function main(): Promise<number> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // The subcommands load only when asked for: the exporter's start does not pay for them.
  if (isCommand(process.argv.slice(2))) return (await import('./commands')).runCommand(process.argv.slice(2));
  // Before anything uses the pool: libuv reads it when the pool starts.
  process.env.UV_THREADPOOL_SIZE ??= THREAD_POOL_SIZE;
  const flags = await parseCliIsolated(process.argv.slice(2), {
    version: versionText(buildInfo()),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  });
  process.stdout.write(flags.output.stdout);
  process.stderr.write(flags.output.stderr);
  if (!flags.ok) {
    process.stderr.write(`procsight: ${flags.error.message}\n`);
    return 2;
  }
  if (flags.parsed.exitEarly) return 0;
  const cli = flags.parsed.options;
  const logger = createLogger({ level: cli.logLevel, format: cli.logFormat });
  // Signals are taken from the start: one that arrives during start-up stops the exporter
  // cleanly as soon as it is up, instead of killing it mid-way.
  let early: string | null = null;
  let onSignal = (signal: string): void => void (early ??= signal);
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  const once = cli.processExporter?.onceToStdoutDelaySeconds ?? 0;
  let running;
  try {
    running = await compose({ cli, logger, listen: once === 0 });
  } catch (e) {
    if (e instanceof ConfigError) {
      logger.error({ key: e.key }, e.message);
      process.stderr.write(`procsight: config error: ${e.message}\n`);
      return 2;
    }
    const msg = errorMessage(e);
    logger.error({ err: msg, code: e instanceof ProcsightError ? e.code : 'internal' }, 'start-up failed');
    process.stderr.write(`procsight: start-up failed: ${msg}\n`);
    return 1;
  }
  const service = running;
  if (once > 0) return printOnce(service, once);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      service
        .stop()
        .catch((e: unknown) => logger.error({ err: errorMessage(e) }, 'error during shutdown'))
        .finally(resolve);
    };
    onSignal = stop;
    if (early !== null) stop(early);
  });
  return 0;
}

/**
 * process-exporter's -once-to-stdout-delay: no listener; the first collection
 * is the baseline, the one after the delay is printed (Prometheus text) and
 * the exporter exits.
 */
async function printOnce(service: Service, delaySeconds: number): Promise<number> {
  await new Promise((r) => setTimeout(r, delaySeconds * 1000));
  await service.collectNow();
  await service.exposition.refresh('collection');
  process.stdout.write(await service.exposition.body('text'));
  await service.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`procsight: fatal: ${errorMessage(e)}\n`);
    process.exit(1);
  },
);
