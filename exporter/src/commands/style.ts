/** ANSI colours for text output; identity functions when colour is off. */
export interface Style {
  red: (s: string) => string;
  yellow: (s: string) => string;
  green: (s: string) => string;
  magenta: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(colour: boolean): Style {
  if (!colour) {
    const id = (s: string): string => s;
    return { red: id, yellow: id, green: id, magenta: id, bold: id, dim: id };
  }
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), magenta: wrap(35, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** Visible length of a string that may hold ANSI colour codes. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[\d+m/g, '').length;
}
