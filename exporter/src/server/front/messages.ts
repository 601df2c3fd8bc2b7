import type { Rendered } from '../../expose/render';
import type { AuthFailureReason } from '@procsight/contract';
import type { WebConfig } from '../web-config';

/** What the HTTP front thread is started with (workerData). */
export interface FrontInit {
  /** `host:port` (--web.listen-address). */
  address: string;
  /** --web.config.file as the main thread loaded it (TLS, users, headers); null: plain HTTP, no auth. */
  webConfig: WebConfig | null;
  telemetryPath: string;
  /** The Unix socket of the exporter's own HTTP app, where every other request goes. */
  appSocket: string;
  /** How long a scrape waits for fresh self-metrics, after the front saw something they count, before it takes the last ones, in ms. */
  freshSelfWaitMs: number;
}

/** Main thread → front. */
export type ToFront =
  { type: 'part'; index: number; count: number; rendered: Rendered } | { type: 'self'; id: number | null; rendered: Rendered } | { type: 'close' };

/** Front → main thread. */
export type FromFront =
  | { type: 'listening'; host: string; port: number; url: string }
  | { type: 'fatal'; code: string; key: string | null; message: string }
  | { type: 'wantParts' }
  | { type: 'wantSelf'; id: number }
  | { type: 'authFailure'; reason: AuthFailureReason }
  | { type: 'certRejected'; problem: string }
  | { type: 'scrapeFailed'; message: string };
