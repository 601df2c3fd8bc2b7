/**
 * Generated sections of the docs: the benchmarks and evaluations rewrite the
 * text between `<!-- name:start -->` and `<!-- name:end -->` and leave the
 * hand-written prose around it alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface DocSectionOptions {
  /**
   * Where the section goes when the doc has no markers for it yet: appended
   * under this `##` heading. Without it, missing markers are an error (a
   * script must not silently write nothing).
   */
  heading?: string;
  /** The doc's first line when the file does not exist yet, e.g. `# Benchmarks`. */
  title?: string;
}

/** `doc` with the section `name` replaced by `body` (or appended, see DocSectionOptions). */
export function replaceDocSection(doc: string, name: string, body: string, opts: DocSectionOptions = {}): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + section + doc.slice(j + end.length);
  if (opts.heading === undefined) throw new Error(`no ${start} … ${end} in the doc`);
  return `${doc.trimEnd()}\n\n## ${opts.heading}\n\n${section}\n`;
}

/** Rewrites the section `name` of the doc at `path` (created with `opts.title` when missing). */
export function writeDocSection(path: string, name: string, body: string, opts: DocSectionOptions = {}): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : `${opts.title ?? '#'}\n`;
  writeFileSync(path, replaceDocSection(doc, name, body, opts));
}
