/**
 * Code-point order of two strings, for the deterministic tie-breaks of every
 * sorted list. Not `localeCompare`: that loads ICU's collation data, about
 * 8 MB of the exporter's resident memory, for names that are ASCII anyway.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
