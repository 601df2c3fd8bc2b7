/**
 * NAME and VERSION_ID of an os-release(5) text (shell-style assignments,
 * values optionally quoted, backslash escapes inside double quotes); empty
 * strings for what is absent.
 */
export function parseOsRelease(text: string): { name: string; versionId: string } {
  const out = { name: '', versionId: '' };
  for (const line of text.split('\n')) {
    const m = /^\s*(NAME|VERSION_ID)=(.*)$/.exec(line);
    if (!m) continue;
    const value = unquote(m[2].trim());
    if (m[1] === 'NAME') out.name = value;
    else out.versionId = value;
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}
