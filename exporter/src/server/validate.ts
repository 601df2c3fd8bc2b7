import type { z } from 'zod';
import { RequestError } from '../errors';

/** Formats zod issues as one line: `limit: Too big: expected number to be <=10000; sort: ...`. */
function describeIssues(issues: readonly z.core.$ZodIssue[], root = '(query)'): string {
  return issues
    .map((i) => {
      const key = i.path.map(String).join('.') || root;
      if (i.code === 'unrecognized_keys') return `unknown parameter(s): ${i.keys.join(', ')}`;
      return `${key}: ${i.message}`;
    })
    .join('; ');
}

/** Validates a query string object; bad input becomes a 400 with a message naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const r = schema.safeParse(query);
  if (!r.success) throw new RequestError(400, describeIssues(r.error.issues));
  return r.data;
}

/** Validates a JSON request body (absent or not JSON: 400 naming the body); bad input becomes a 400 naming the key. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new RequestError(400, describeIssues(r.error.issues.slice(0, 5), '(body)'));
  return r.data;
}
