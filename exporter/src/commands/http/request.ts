import { SourceError } from '../errors';
import { authHeader, type Credentials } from './auth';

export interface Target {
  /** Base URL without credentials. */
  url: string;
  credentials: Credentials | null;
  timeoutMs: number;
  /** `Prometheus` or `the exporter`: names the target in errors. */
  what: string;
  /** How to give credentials, for the 401/403 message. */
  authHint: string;
}

export interface Answer {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
  text: string;
}

/**
 * One HTTP request with a timeout. Unreachable targets, timeouts and
 * refused credentials become a SourceError with one readable line; any other
 * status is returned for the caller to judge.
 */
export async function request(target: Target, path: string, init: { method?: 'GET' | 'POST'; form?: URLSearchParams; accept?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json', ...authHeader(target.credentials) };
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  let res: Response;
  try {
    res = await fetch(`${target.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.form?.toString(),
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: 'follow',
    });
  } catch (e) {
    throw new SourceError(`cannot reach ${target.what} at ${target.url}: ${reason(e, target.timeoutMs)}`);
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new SourceError(
      `${target.what} at ${target.url} refused the request (HTTP ${res.status} ${res.statusText || (res.status === 401 ? 'Unauthorized' : 'Forbidden')}): ${target.authHint}`,
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new SourceError(`${target.what} at ${target.url}: the answer broke off: ${reason(e, target.timeoutMs)}`);
  }
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // A JSON content type with a broken body: the caller sees the text and reports it as not the expected API.
      body = text;
    }
  }
  return { status: res.status, body, text };
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/** Errors from fetch may come from another realm (a test VM), so they are read by shape, not instanceof. */
function errorLike(x: unknown): x is ErrorLike {
  return typeof x === 'object' && x !== null;
}

const firstLine = (x: unknown): string => String(x).split('\n')[0];

/** Why fetch failed, in a few words: the system error code, or a timeout. */
function reason(e: unknown, timeoutMs: number): string {
  if (!errorLike(e)) return firstLine(e);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  const cause = e.cause;
  if (errorLike(cause)) {
    if (typeof cause.code === 'string') return `${cause.code} (${firstLine(cause.message)})`;
    if (cause.message !== undefined) return firstLine(cause.message);
  }
  return firstLine(e.message ?? e);
}

/** A short excerpt of a body for an error line. */
export function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
