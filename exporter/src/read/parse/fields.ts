import { ReadError } from '../../errors';

/** A non-negative finite integer from text, or a parse error naming the file kind and field. */
export function uint(text: string | undefined, file: string, field: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new ReadError('parse', `${file}: ${field} is not a number: ${JSON.stringify(text?.slice(0, 32))}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new ReadError('parse', `${file}: ${field} out of range`);
  return n;
}

/** `Key:   123 kB` style lines into a map (status, meminfo). */
export function keyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

/**
 * The trimmed value of the `Key: value` line that starts with `key`, or
 * undefined. The parsers of files read for many processes each cycle (status,
 * io) look up the few keys they use this way instead of mapping every line.
 */
export function lineValue(text: string, key: string): string | undefined {
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) {
    const end = i + key.length;
    if ((i === 0 || text.charCodeAt(i - 1) === NEWLINE) && text.charCodeAt(end) === COLON) {
      const eol = text.indexOf('\n', end);
      return text.slice(end + 1, eol < 0 ? text.length : eol).trim();
    }
  }
  return undefined;
}

const NEWLINE = 10;
const COLON = 58;

/** `123 kB` → bytes; null when absent. */
export function kbValue(v: string | undefined, file: string, field: string): number | null {
  if (v === undefined) return null;
  const m = /^(\d+)(?:\s+kB)?$/.exec(v);
  if (!m) throw new ReadError('parse', `${file}: ${field} is not a size: ${JSON.stringify(v.slice(0, 32))}`);
  return uint(m[1], file, field) * 1024;
}
