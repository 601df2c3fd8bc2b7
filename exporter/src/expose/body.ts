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
 * The same body gzipped, each part's rendering compressed once per format
 * (kept as long as the rendering object lives) and only the self-metrics at
 * each call. The piece of a part carries the separator that follows it.
 */
export class GzipBodies {
  private readonly pieces = new WeakMap<Rendered, Partial<Record<ExpositionFormat, DeflatedPiece>>>();

  body(parts: readonly Rendered[], self: Rendered, format: ExpositionFormat): Buffer {
    return gzipPieces([...parts.map((r) => this.piece(r, format)), deflatePiece(format === 'text' ? self.text : self.openmetrics)]);
  }

  private piece(r: Rendered, format: ExpositionFormat): DeflatedPiece {
    let cached = this.pieces.get(r);
    if (!cached) this.pieces.set(r, (cached = {}));
    return (cached[format] ??= deflatePiece(format === 'text' ? `${r.text}\n` : r.openmetrics.slice(0, -OPENMETRICS_EOF.length)));
  }
}
