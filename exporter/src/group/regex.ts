/**
 * Go RE2 regex syntax (process-exporter's configs and -namemapping) → a
 * JavaScript pattern with the same meaning, or an explanation of what has no
 * JavaScript equivalent. The two syntaxes agree on almost everything; where
 * they do not, a pattern must not load and silently match something else.
 *
 * Translated: POSIX classes inside brackets (`[[:alpha:]_]`, `[^[:space:]]`,
 * `[[:^digit:]]` alone), `\A` and `\z`, `(?P<name>…)` captures, a `]` first
 * in a bracket (literal in Go, an empty class in JavaScript).
 * Refused: `\Q…\E`, `\C`, `\pN`-style Unicode classes, the `U` flag, a
 * negated POSIX class beside other members, unknown POSIX class names.
 */

/** RE2's ASCII POSIX classes as JavaScript bracket members. */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class RegexSyntaxError extends Error {}

/** Translates an RE2 pattern body (flags already taken off) to JavaScript; throws RegexSyntaxError naming the construct. */
export function re2ToJs(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      // Start and end of the text whatever the m flag says.
      if (next === 'A') out += '(?<![\\s\\S])';
      else if (next === 'z') out += '(?![\\s\\S])';
      else if (next === 'Q' || next === 'E') throw new RegexSyntaxError('\\Q…\\E quoting has no JavaScript equivalent: escape the characters instead');
      else if (next === 'C') throw new RegexSyntaxError('\\C (any byte) has no JavaScript equivalent');
      else if (next === 'p' || next === 'P') throw new RegexSyntaxError(`Unicode class \\${next}… is not supported`);
      else out += c + next;
      i += 2;
    } else if (c === '[') {
      const end = bracket(source, i);
      out += end.js;
      i = end.next;
    } else if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
    } else if (c === '(' && source[i + 1] === '?' && /^\(\?[imsU-]*U[imsU-]*[:)]/.test(source.slice(i))) {
      throw new RegexSyntaxError('the U (ungreedy) flag has no JavaScript equivalent');
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** One bracket expression starting at `start` (its `[`): the JavaScript text and where the pattern continues. */
function bracket(source: string, start: number): { js: string; next: number } {
  let i = start + 1;
  let negated = false;
  if (source[i] === '^') {
    negated = true;
    i++;
  }
  const members: string[] = [];
  let negatedClass: string | null = null;
  let first = true;
  while (i < source.length) {
    const c = source[i];
    if (c === ']' && !first) {
      if (negatedClass !== null) {
        if (members.length > 0 || negated) throw new RegexSyntaxError(`negated POSIX class [:^${negatedClass}:] must be alone in its brackets`);
        return { js: `[^${POSIX[negatedClass]}]`, next: i + 1 };
      }
      return { js: `[${negated ? '^' : ''}${members.join('')}]`, next: i + 1 };
    }
    first = false;
    if (c === '\\') {
      members.push(source.slice(i, i + 2));
      i += 2;
    } else if (source.startsWith('[:', i)) {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(i));
      if (!m) {
        members.push('\\[');
        i++;
        continue;
      }
      const js = POSIX[m[2]];
      if (js === undefined) throw new RegexSyntaxError(`unknown POSIX class [:${m[2]}:] (known: ${Object.keys(POSIX).join(', ')})`);
      if (m[1]) negatedClass = m[2];
      else members.push(js);
      i += m[0].length;
    } else if (c === ']') {
      members.push('\\]'); // first in the brackets: a literal ] in Go
      i++;
    } else if (c === '[') {
      members.push('\\[');
      i++;
    } else {
      members.push(c);
      i++;
    }
  }
  throw new RegexSyntaxError('missing closing ]');
}
