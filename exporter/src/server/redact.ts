/**
 * Command lines can hold secrets. Wherever the API shows one, it goes
 * through here first (documented in docs/api.md):
 * - values of options whose name suggests a secret: --password=…, --token …,
 *   -p…, secret, key, auth, credential(s), passwd, pwd, api-key, access-key;
 * - credentials in URLs: scheme://user:password@host → scheme://user:***@host;
 * - environment-style assignments: PASSWORD=…, *_TOKEN=…, *_SECRET=…, *_KEY=…;
 * - bearer tokens and long hex/base64 blobs (≥ 32 characters).
 */
const SECRET_NAME = '(?:password|passwd|pwd|pass|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|auth|credentials?|client[-_]?secret)';

const RULES: Array<[RegExp, string]> = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s@]+@/gi, '$1:***@'],
  [new RegExp(`(--?[\\w-]*${SECRET_NAME}[\\w-]*)(=|\\s+)("[^"]*"|'[^']*'|\\S+)`, 'gi'), '$1$2***'],
  [new RegExp(`\\b([A-Z0-9_]*${SECRET_NAME.toUpperCase()}[A-Z0-9_]*)=(\\S+)`, 'g'), '$1=***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***'],
  [/\b[A-Fa-f0-9]{32,}\b/g, '***'],
  [/\b[A-Za-z0-9+/_-]{40,}={0,2}/g, '***'],
];

export function redactCmdline(cmdline: string): string {
  let out = cmdline;
  for (const [re, repl] of RULES) out = out.replace(re, repl);
  return out;
}
