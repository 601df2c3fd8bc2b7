import { visibleLength } from './style';

/** A plain-text table: columns padded to their widest cell (colour codes not counted); `right` columns align right. */
export function textTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  opts: { right?: readonly number[]; indent?: string } = {},
): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => visibleLength(r[c] ?? ''))));
  const right = new Set(opts.right ?? []);
  const line = (r: readonly string[]): string =>
    (opts.indent ?? '') +
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - visibleLength(cell));
        return right.has(c) ? pad + cell : c === r.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return all.map(line).join('\n');
}

/** A Markdown table; `|` in cells is escaped. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, opts: { right?: readonly number[] } = {}): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const right = new Set(opts.right ?? []);
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, c) => (right.has(c) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
