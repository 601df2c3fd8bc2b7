import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Response } from 'express';

/** Longest stretch of building and serialising a response before yielding to the event loop. */
const SLICE_MS = 1;

/** `<`, `>` and `&` as \u escapes (express' `json escape`): echoed input can never become markup. */
const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };
const escapeJson = (text: string): string => text.replace(/[<>&]/g, (c) => ESCAPES[c]);

/**
 * Sends `{ ...head, [key]: items.map(view) }` as JSON, building and
 * serialising the list one item at a time and yielding to the event loop
 * whenever a slice has run `SLICE_MS`: a large answer (forecast paths, every
 * group's anomalies) never holds a scrape up for longer than a slice.
 */
export async function sendJsonList<T>(
  res: Response,
  opts: { head?: Record<string, unknown>; key: string; items: readonly T[]; view(item: T): unknown },
): Promise<void> {
  const headText = JSON.stringify(opts.head ?? {});
  const parts = [headText === '{}' ? '{' : `${headText.slice(0, -1)},`, `${JSON.stringify(opts.key)}:[`];
  let sliceStart = performance.now();
  for (let i = 0; i < opts.items.length; i++) {
    parts.push(`${i > 0 ? ',' : ''}${JSON.stringify(opts.view(opts.items[i])) ?? 'null'}`);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  parts.push(']}');
  res.type('json').send(escapeJson(parts.join('')));
}
