/** The message of anything thrown, for logs and one-line errors (never a stack trace). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The errno code of a failed system call (`ENOENT`, `ESRCH`, …), or undefined for anything else thrown. */
export function errnoCode(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
