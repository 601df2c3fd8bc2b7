import { OPENMETRICS_EOF } from './openmetrics';
import { deflatePiece, gzipPieces, type DeflatedPiece } from './gzip';
import type { Rendered } from './render';

/** The two exposition formats served on /metrics, chosen by content negotiation. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** OpenMetrics when the scraper asks for it (Prometheus sends it first in Accept). */
export function formatFor(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'text';
}

/** prom-client's content types (test/unit/expose/body checks they stay equal), written out so that the HTTP front thread does not load prom-client. */
const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

export function contentTypeOf(format: ExpositionFormat): string {
  return CONTENT_TYPES[format];
}

/** One /metrics body: the parts' renderings in order, then the self-metrics'. */
export function joinBody(parts: readonly Rendered[], self: Rendered, format: ExpositionFormat): string {
  const all = [...parts, self];
  if (format === 'text') return all.map((r) => r.text).join('\n');
  return `${all.map((r) => r.openmetrics.slice(0, -OPENMETRICS_EOF.length)).join('')}${OPENMETRICS_EOF}`;
}

/**
 * A rendering as UTF-8 bytes, each format in an ArrayBuffer of its own: the
 * main thread hands these to the HTTP front by transfer, so the front's heap
 * never holds (nor has to collect) a copy of the exposition as strings.
 */
export interface RenderedBytes {
  text: Uint8Array;
  openmetrics: Uint8Array;
}

export function toBytes(r: Rendered): RenderedBytes {
  return { text: ownBytes(r.text), openmetrics: ownBytes(r.openmetrics) };
}

/** The ArrayBuffers to transfer with a message carrying these renderings. */
export function buffersOf(...rs: RenderedBytes[]): ArrayBuffer[] {
  return rs.flatMap((r) => [r.text.buffer, r.openmetrics.buffer] as ArrayBuffer[]);
}

/** Not Buffer.from: a small string's bytes would be a slice of Node's shared pool, which cannot be transferred alone. */
function ownBytes(s: string): Uint8Array {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(s, 'utf8'));
  b.write(s, 'utf8');
  return b;
}

const NEWLINE = Buffer.from('\n');
const EOF_BYTES = Buffer.from(OPENMETRICS_EOF);

/** joinBody over bytes: the same body, built without a string. */
export function joinBytes(parts: readonly RenderedBytes[], self: RenderedBytes, format: ExpositionFormat): Buffer {
  const all = [...parts, self];
  if (format === 'text') return Buffer.concat(all.flatMap((r, i) => (i === 0 ? [r.text] : [NEWLINE, r.text])));
  return Buffer.concat([...all.map(withoutEof), EOF_BYTES]);
}

function withoutEof(r: RenderedBytes): Uint8Array {
  return r.openmetrics.subarray(0, r.openmetrics.length - EOF_BYTES.length);
}

/** The separator between two text renderings, compressed once. */
const NEWLINE_PIECE = deflatePiece(NEWLINE);

/**
 * The same body gzipped, each part's rendering compressed once per format
 * (kept as long as the rendering object lives) and only the self-metrics at
 * each call.
 */
export class GzipBodies {
  private readonly pieces = new WeakMap<RenderedBytes, Partial<Record<ExpositionFormat, DeflatedPiece>>>();

  body(parts: readonly RenderedBytes[], self: RenderedBytes, format: ExpositionFormat): Buffer {
    const last = deflatePiece(format === 'text' ? self.text : self.openmetrics);
    if (format === 'openmetrics') return gzipPieces([...parts.map((r) => this.piece(r, format)), last]);
    return gzipPieces([...parts.flatMap((r) => [this.piece(r, format), NEWLINE_PIECE]), last]);
  }

  private piece(r: RenderedBytes, format: ExpositionFormat): DeflatedPiece {
    let cached = this.pieces.get(r);
    if (!cached) this.pieces.set(r, (cached = {}));
    return (cached[format] ??= deflatePiece(format === 'text' ? r.text : withoutEof(r)));
  }
}
