import { mkdtempSync, rmSync } from 'node:fs';
import http, { type RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../util/module-worker';
import type { AuthFailureReason } from '@procsight/contract';
import type { Exposition } from '../../expose/registry';
import type { Logger } from '../../log/logger';
import { ConfigError, ProcsightError } from '../../errors';
import { errorMessage } from '../../util/error-message';
import { parseListenAddress, type Listener } from '../listen';
import type { WebConfig } from '../web-config';
import type { FromFront, FrontInit, ToFront } from './messages';

export interface FrontOptions {
  /** `host:port` (--web.listen-address). */
  address: string;
  /** --web.config.file, loaded (TLS, users, headers); null: plain HTTP, no auth. */
  webConfig: WebConfig | null;
  telemetryPath: string;
  /** The exporter's app: every request but a scrape. */
  app: RequestListener;
  exposition: Exposition;
  logger: Logger;
  onAuthFailure(reason: AuthFailureReason): void;
  onCertRejected(problem: string): void;
  /** The front stopped unexpectedly and is started again (procsight_http_front_restarts_total). */
  onRestart(): void;
  /** How long a scrape waits for fresh self-metrics, after the front saw something they count, in ms (default 100). */
  freshSelfWaitMs?: number;
}

/** Longest delay between a change of the self-metrics and its rendering in the front, in ms. */
const SELF_PUSH_DELAY_MS = 50;

/** Wait before starting a front again after it stopped unexpectedly. */
const RESTART_DELAY_MS = 1000;

/**
 * Starts the HTTP front (./worker.ts) on the listen address and the
 * exporter's app on a Unix socket in a private directory, and keeps the front
 * supplied: each new rendering of the exposition's parts, and the
 * self-metrics it asks for at each scrape. Resolves once the front listens.
 */
export async function startFront(opts: FrontOptions): Promise<Listener> {
  if (!parseListenAddress(opts.address)) throw new ConfigError('web.listen-address', `invalid listen address ${JSON.stringify(opts.address)}`);
  // mkdtemp makes the directory 0700: only this user reaches the app, which trusts X-Forwarded-For from it.
  const dir = mkdtempSync(join(tmpdir(), 'procsight-http-'));
  const appSocket = join(dir, 'app.sock');
  const inner = http.createServer(opts.app);
  inner.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    inner.once('error', reject);
    inner.listen(appSocket, () => resolve());
  });
  const init: FrontInit = {
    address: opts.address,
    webConfig: opts.webConfig,
    telemetryPath: opts.telemetryPath,
    appSocket,
    freshSelfWaitMs: opts.freshSelfWaitMs ?? 100,
  };
  let worker: Worker | null = null;
  let stopping = false;
  const send = (m: ToFront): void => worker?.postMessage(m);
  const sendSelf = (id: number | null): void => {
    opts.exposition.renderSelf().then(
      (rendered) => send({ type: 'self', id, rendered }),
      (e: unknown) => opts.logger.error({ err: errorMessage(e) }, 'self-metrics rendering failed'),
    );
  };
  const sendParts = (): void => {
    opts.exposition.parts().then(
      (parts) => parts.forEach((rendered, index) => send({ type: 'part', index, count: parts.length, rendered })),
      (e: unknown) => opts.logger.error({ err: errorMessage(e) }, 'exposition rendering failed'),
    );
  };
  // Self-metrics go to the front with each part's rendering and, when they change in between (a remediation
  // action, a checkpoint error), within SELF_PUSH_DELAY_MS: many changes, one rendering.
  let selfTimer: NodeJS.Timeout | null = null;
  const pushSelf = (): void => {
    if (selfTimer) clearTimeout(selfTimer);
    selfTimer = null;
    sendSelf(null);
  };
  opts.exposition.self.onChange(() => {
    if (!selfTimer && worker) selfTimer = setTimeout(pushSelf, SELF_PUSH_DELAY_MS).unref();
  });
  opts.exposition.onRendered((index, count, rendered) => {
    send({ type: 'part', index, count, rendered });
    pushSelf();
  });
  const onMessage = (m: FromFront): void => {
    if (m.type === 'wantParts') sendParts();
    else if (m.type === 'wantSelf') sendSelf(m.id);
    else if (m.type === 'authFailure') opts.onAuthFailure(m.reason);
    else if (m.type === 'certRejected') opts.onCertRejected(m.problem);
    else if (m.type === 'scrapeFailed') opts.logger.error({ err: m.message }, 'scrape failed');
  };

  const spawn = (): Promise<{ url: string; host: string; port: number }> =>
    new Promise((resolve, reject) => {
      const w = moduleWorker(__dirname, 'worker', { workerData: init });
      worker = w;
      let up = false;
      w.on('message', (m: FromFront) => {
        if (m.type === 'listening') {
          up = true;
          resolve(m);
        } else if (m.type === 'fatal') {
          reject(m.key !== null ? new ConfigError(m.key, m.message.replace(`${m.key}: `, '')) : new ProcsightError(m.code, m.message));
        } else onMessage(m);
      });
      w.on('error', (e) => opts.logger.error({ err: errorMessage(e) }, 'HTTP front failed'));
      w.on('exit', (code) => {
        if (worker === w) worker = null;
        if (!up) reject(new ProcsightError('http', `the HTTP front stopped before listening (exit code ${code})`));
        else if (!stopping) restart();
      });
    });
  const restart = (): void => {
    opts.onRestart();
    opts.logger.error({}, 'HTTP front stopped; starting it again');
    setTimeout(() => {
      if (stopping) return;
      spawn().then(sendParts, (e: unknown) => {
        opts.logger.error({ err: errorMessage(e) }, 'HTTP front did not start again');
        if (!stopping) restart();
      });
    }, RESTART_DELAY_MS).unref();
  };

  let bound: { url: string; host: string; port: number };
  try {
    bound = await spawn();
  } catch (e) {
    stopping = true;
    await closeInner(inner, dir);
    throw e;
  }
  // A restarted front binds the same port, also when the address asked for port 0.
  init.address = `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
  return {
    address: { host: bound.host, port: bound.port },
    url: bound.url,
    async close() {
      stopping = true;
      if (selfTimer) clearTimeout(selfTimer);
      const w = worker;
      if (w) {
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.postMessage({ type: 'close' } satisfies ToFront);
        const timer = setTimeout(() => void w.terminate(), 2000);
        await exited;
        clearTimeout(timer);
      }
      await closeInner(inner, dir);
    },
  };
}

async function closeInner(inner: http.Server, dir: string): Promise<void> {
  await new Promise<void>((resolve) => {
    inner.close(() => resolve());
    inner.closeAllConnections();
  });
  rmSync(dir, { recursive: true, force: true });
}
