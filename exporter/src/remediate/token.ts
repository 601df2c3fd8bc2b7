import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import { errnoCode } from '../util/error-message';

/** Shortest token accepted: 16 characters (a random hex or base64 token is far longer). */
const MIN_TOKEN_LENGTH = 16;

/** Reads the bearer token (surrounding whitespace and the final newline dropped); ConfigError when unusable. */
export function readToken(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('remediation.webhook_token_file', `cannot read ${file}: ${errnoCode(e) ?? String(e)}`);
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH)
    throw new ConfigError('remediation.webhook_token_file', `the token in ${file} is shorter than ${MIN_TOKEN_LENGTH} characters`);
  if (/\s/.test(token)) throw new ConfigError('remediation.webhook_token_file', `the token in ${file} holds whitespace`);
  return token;
}

/**
 * Compares a presented token with the expected one in constant time: both
 * are hashed first, so neither their contents nor their lengths show in the
 * time the comparison takes.
 */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}
