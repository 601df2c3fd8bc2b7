/**
 * Whether a response to this Accept-Encoding header should be gzipped: the
 * choice Express's `req.acceptsEncodings('gzip', 'identity')` makes
 * (negotiator's rules), without loading Express in the HTTP front. Each coding
 * is matched by its own name (more specific) or by `*`; identity is acceptable
 * at the header's lowest quality unless named or covered by `*`; the higher
 * quality wins, then the more specific match, then the earlier entry, then
 * gzip.
 */
export function prefersGzip(header: string | undefined): boolean {
  const entries = parseAcceptEncoding(header ?? '');
  const gzip = priorityOf('gzip', entries);
  const identity = priorityOf('identity', entries);
  if (!(gzip.q > 0)) return false;
  if (!(identity.q > 0)) return true;
  return (identity.q - gzip.q || identity.s - gzip.s || gzip.o - identity.o) <= 0;
}

interface Entry {
  coding: string;
  q: number;
  /** Position in the header. */
  o: number;
}

function parseAcceptEncoding(header: string): Entry[] {
  const entries: Entry[] = [];
  let position = 0;
  let minQuality = 1;
  let hasIdentity = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name.trim();
    const o = position++;
    if (coding === '' || /\s/.test(coding)) continue;
    let q = 1;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'q') q = parseFloat(p.slice(eq + 1).trim());
    }
    entries.push({ coding, q, o });
    hasIdentity ||= coding === '*' || coding.toLowerCase() === 'identity';
    minQuality = Math.min(minQuality, q || 1);
  }
  if (!hasIdentity) entries.push({ coding: 'identity', q: minQuality, o: position });
  return entries;
}

/** The best entry for a coding: its own name over `*`, then the higher quality, then the earlier. */
function priorityOf(coding: string, entries: readonly Entry[]): { q: number; s: number; o: number } {
  let best = { q: 0, s: 0, o: -1 };
  for (const e of entries) {
    const s = e.coding.toLowerCase() === coding ? 1 : e.coding === '*' ? 0 : -1;
    if (s < 0) continue;
    if ((best.s - s || best.q - e.q || best.o - e.o) < 0) best = { q: e.q, s, o: e.o };
  }
  return best;
}
