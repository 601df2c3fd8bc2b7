import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../errors';
import { configSchema, type ProcsightConfig } from './schema';
import { OVERFLOW_GROUP } from '@procsight/contract';
import { createNamer } from '../group/namer';
import { compileRegex, checkTemplate } from '../group/template';
import { errnoCode, errorMessage } from '../util/error-message';

/** Reads and validates the config file; null → embedded defaults (one group per comm). */
export function loadConfig(path: string | null): ProcsightConfig {
  if (path === null) return parseConfigText('', { source: '(defaults)' });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('--config.file', `cannot read ${path}: ${errnoCode(e) ?? String(e)}`);
  }
  return parseConfigText(text, { source: path });
}

/** Key path as people write it: `groups[2].cmdline[0]`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Line of the node at `path` in the YAML document, if it can be found. */
function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: ReadonlyArray<PropertyKey>): number | null {
  let node: unknown = doc.contents;
  let last: YamlNode | null = (doc.contents as YamlNode | null) ?? null;
  for (const p of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === p);
      if (!pair) break;
      last = (pair.key as YamlNode | null) ?? last;
      node = pair.value;
    } else if (isSeq(node) && typeof p === 'number') {
      node = node.items[p];
      last = (node as YamlNode | null) ?? last;
    } else break;
  }
  const range = last?.range;
  return range ? lc.linePos(range[0]).line : null;
}

/**
 * Parses config text. Every problem is a ConfigError naming the key path and,
 * where known, the line: unknown keys, wrong types, invalid regexes, unknown
 * template placeholders. Never throws anything else, whatever the text.
 */
export function parseConfigText(text: string, opts: { source: string }): ProcsightConfig {
  const lc = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    throw new ConfigError(opts.source, `invalid YAML: ${errorMessage(e)}`);
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.pos ? lc.linePos(err.pos[0]).line : null;
    throw new ConfigError(line ? `${opts.source}:${line}` : opts.source, `invalid YAML: ${err.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new ConfigError(opts.source, `invalid YAML: ${errorMessage(e)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(opts.source, 'the config must be a mapping of keys (groups, limits, …)');
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    const line = lineOf(doc, lc, path);
    const where = `${line ? `${opts.source}:${line}: ` : ''}${formatPath(path)}`;
    const msg = issue.code === 'unrecognized_keys' ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` : issue.message;
    throw new ConfigError(where, msg);
  }
  const config = r.data;
  if (config.groups && config.process_names)
    throw new ConfigError('process_names', 'use either groups (procsight) or process_names (process-exporter), not both');
  const at = (path: Array<string | number>): string => {
    const line = lineOf(doc, lc, path);
    return `${line ? `${opts.source}:${line}: ` : ''}${formatPath(path)}`;
  };
  (config.groups ?? []).forEach((g, i) => {
    checkTemplate(g.name, at(['groups', i, 'name']));
    (g.cmdline ?? []).forEach((re, j) => compileRegex(re, at(['groups', i, 'cmdline', j])));
    if (g.cgroup) compileRegex(g.cgroup, at(['groups', i, 'cgroup']));
    if (typeof g.container === 'string') compileRegex(g.container, at(['groups', i, 'container']));
    if (typeof g.pod === 'string') compileRegex(g.pod, at(['groups', i, 'pod']));
  });
  (config.process_names ?? []).forEach((g, i) => {
    checkTemplate(g.name, at(['process_names', i, 'name']), { processExporter: true });
    (g.cmdline ?? []).forEach((re, j) => compileRegex(re, at(['process_names', i, 'cmdline', j])));
    if (!g.comm && !g.exe && !g.cmdline) throw new ConfigError(at(['process_names', i]), 'needs at least one of comm, exe, cmdline');
  });
  // The overflow group's name is reserved, and declared groups must leave it a slot under max_groups.
  for (const key of ['groups', 'process_names'] as const) {
    (config[key] ?? []).forEach((g, i) => {
      if (g.name.trim() === OVERFLOW_GROUP)
        throw new ConfigError(at([key, i, 'name']), `"${OVERFLOW_GROUP}" is reserved for the overflow group (groups beyond limits.max_groups)`);
    });
  }
  const declared = createNamer(config).declaredGroups().length;
  if (declared > config.limits.max_groups - 1) {
    throw new ConfigError(
      at(['limits', 'max_groups']),
      `${declared} declared groups need limits.max_groups of at least ${declared + 1} (one slot is the overflow group "${OVERFLOW_GROUP}"), got ${config.limits.max_groups}`,
    );
  }
  return config;
}
