/** The message of anything thrown, for logs and one-line errors (never a stack trace). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
