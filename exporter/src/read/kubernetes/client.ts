import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../log/logger';
import { errorMessage } from '../../util/error-message';
import { DecodeError, decodePodList, decodeWatchEvent, type PodIndex } from './pods';

/** Why following the pods failed (procsight_kubernetes_errors_total{reason}). */
export type KubernetesErrorReason = 'list' | 'watch' | 'decode';

export interface PodSourceOptions {
  /** https://host:port */
  apiUrl: string;
  nodeName: string;
  tokenFile: string;
  caFile: string;
  /** Longest watch (timeoutSeconds) before it is restarted from the last resourceVersion. */
  resyncSeconds: number;
  index: PodIndex;
  logger: Logger;
  onError(reason: KubernetesErrorReason): void;
  /** Waits after a failure, doubling from the first to the second (ms). Default 1 s → 60 s. */
  retryMs?: [number, number];
  /** Pods per list page (default 500). */
  pageSize?: number;
}

class GoneError extends Error {}
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Pods per list page (the API server's chunking). */
const PAGE = 500;

/**
 * Follows the pods of this node in the Kubernetes API: a list
 * (`fieldSelector=spec.nodeName=<node>`, paged), then a watch from its
 * resourceVersion with bookmarks, restarted from the last version when it
 * ends and relisted when the version has expired (410 Gone). Runs beside
 * the collection, never in it: the namer and the exposition only read the
 * index. Failures are counted and retried with a doubling wait; the index
 * keeps what it had.
 */
export class KubernetesPodSource {
  private running = false;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private warned = new Set<string>();

  constructor(private readonly opts: PodSourceOptions) {}

  /** Starts following; resolves after the first list attempt (successful or not), so the first collection can use it. */
  async start(): Promise<void> {
    this.running = true;
    let first!: () => void;
    const listed = new Promise<void>((r) => (first = r));
    this.loop = this.run(first);
    await listed;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop;
  }

  private async run(firstListDone: () => void): Promise<void> {
    const [minMs, maxMs] = this.opts.retryMs ?? [1000, 60_000];
    let wait = minMs;
    while (this.running) {
      let stage: KubernetesErrorReason = 'list';
      try {
        let rv = await this.list();
        firstListDone();
        wait = minMs;
        stage = 'watch';
        for (;;) {
          if (!this.running) return;
          rv = await this.watch(rv);
        }
      } catch (e) {
        firstListDone();
        if (!this.running) return;
        if (e instanceof GoneError) continue; // the version expired: relist at once (normal, not an error)
        const reason = e instanceof DecodeError ? 'decode' : stage;
        this.opts.onError(reason);
        this.warnOnce(reason, e);
        await this.sleep(wait);
        wait = Math.min(maxMs, wait * 2);
      }
    }
  }

  private warnOnce(reason: string, e: unknown): void {
    const msg = errorMessage(e);
    const key = `${reason}:${msg}`;
    if (this.warned.has(key)) {
      this.opts.logger.debug({ reason, err: msg }, 'kubernetes: following the pods failed again');
      return;
    }
    this.warned.add(key);
    this.opts.logger.warn(
      { reason, err: msg },
      'kubernetes: cannot follow the pods of this node; pod labels may be stale; counted in procsight_kubernetes_errors_total',
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.abort = new AbortController();
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private url(params: Record<string, string>): URL {
    const u = new URL('/api/v1/pods', this.opts.apiUrl);
    u.searchParams.set('fieldSelector', `spec.nodeName=${this.opts.nodeName}`);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u;
  }

  /** The whole list, page by page; returns the resourceVersion to watch from. */
  private async list(): Promise<string> {
    const pods = [];
    let token = '';
    let rv = '';
    do {
      const body = await this.getJson(this.url({ limit: String(this.opts.pageSize ?? PAGE), ...(token ? { continue: token } : {}) }));
      const page = decodePodList(body);
      pods.push(...page.pods);
      rv = page.resourceVersion;
      token = page.continueToken;
    } while (token && this.running);
    this.opts.index.replace(pods);
    this.opts.logger.debug({ pods: this.opts.index.size, resourceVersion: rv }, 'kubernetes: listed the pods of this node');
    return rv;
  }

  /** One watch from `rv` until the server ends it; returns the last resourceVersion seen. */
  private watch(rv: string): Promise<string> {
    const url = this.url({ watch: '1', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: String(this.opts.resyncSeconds) });
    return new Promise((resolve, reject) => {
      let last = rv;
      let buffered = '';
      const handle = (line: string): void => {
        if (line.trim() === '') return;
        const ev = decodeWatchEvent(line);
        if (ev.type === 'ERROR') {
          if (ev.object.code === 410) throw new GoneError(ev.object.message ?? 'resourceVersion expired');
          throw new HttpError(ev.object.code ?? 0, `watch error: ${ev.object.message ?? ev.object.reason ?? 'unknown'}`);
        }
        this.opts.index.apply(ev);
        last = ev.object.metadata.resourceVersion ?? last;
      };
      this.send(url, this.opts.resyncSeconds * 1000 + 30_000)
        .then((res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let nl: number;
            try {
              while ((nl = buffered.indexOf('\n')) >= 0) {
                const line = buffered.slice(0, nl);
                buffered = buffered.slice(nl + 1);
                handle(line);
              }
            } catch (e) {
              res.destroy();
              reject(e);
            }
          });
          res.on('end', () => resolve(last));
          res.on('error', reject);
        })
        .catch(reject);
    });
  }

  private async getJson(url: URL): Promise<unknown> {
    const res = await this.send(url, 30_000);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      throw new DecodeError(`list body is not JSON: ${errorMessage(e)}`);
    }
  }

  /** A GET with the service account's token and CA; rejects on a status other than 200 (410: GoneError). */
  private send(url: URL, timeoutMs: number): Promise<IncomingMessage> {
    // Read at each request: projected service-account tokens are rotated by the kubelet.
    const token = readFileSync(this.opts.tokenFile, 'utf8').trim();
    const ca = readFileSync(this.opts.caFile);
    this.abort = new AbortController();
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'GET', ca, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, signal: this.abort!.signal, timeout: timeoutMs },
        (res) => {
          if (res.statusCode === 200) return resolve(res);
          res.resume();
          if (res.statusCode === 410) reject(new GoneError('resourceVersion expired'));
          else reject(new HttpError(res.statusCode ?? 0, `GET ${url.pathname}: HTTP ${res.statusCode}`));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end();
    });
  }
}
