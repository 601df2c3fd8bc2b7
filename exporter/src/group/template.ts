import { ConfigError } from '../errors';
import { errorMessage } from '../util/error-message';
import { re2ToJs, RegexSyntaxError } from './regex';

/**
 * Name templates in process-exporter's Go-template style. Supported:
 * {{.Comm}} {{.ExeBase}} {{.ExeFull}} {{.Matches.<name>}} {{.Username}}
 * {{.Cgroup}} (systemd unit, container short id, or cgroup path),
 * {{.Namespace}} {{.Pod}} {{.Container}} (Kubernetes, --kubernetes.enabled),
 * and for process-exporter configs also {{.PID}} {{.StartTime}} {{.Cgroups}}.
 */
const PLACEHOLDER = /\{\{\s*\.([A-Za-z]+)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}\}/g;
/** Placeholders filled from the Kubernetes API (the pod of the process). */
const KUBERNETES_FIELDS = ['Namespace', 'Pod', 'Container'] as const;
const FIELDS = new Set(['Comm', 'ExeBase', 'ExeFull', 'Matches', 'Username', 'Cgroup', ...KUBERNETES_FIELDS]);
const PE_FIELDS = new Set([...FIELDS, 'PID', 'StartTime', 'Cgroups']);

export interface TemplateContext {
  Comm: string;
  ExeBase: string;
  ExeFull: string;
  Username: string;
  Cgroup: string;
  Namespace: string;
  Pod: string;
  Container: string;
  PID: string;
  StartTime: string;
  Matches: Record<string, string>;
}

/** Throws ConfigError when the template has an unknown placeholder or stray braces. */
export function checkTemplate(template: string, where: string, opts: { processExporter?: boolean } = {}): void {
  const allowed = opts.processExporter ? PE_FIELDS : FIELDS;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!allowed.has(m[1])) throw new ConfigError(where, `unknown placeholder {{.${m[1]}}} (use ${[...allowed].map((f) => `{{.${f}}}`).join(', ')})`);
    if (m[1] === 'Matches' && !m[2]) throw new ConfigError(where, '{{.Matches}} needs a capture name: {{.Matches.name}}');
  }
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) throw new ConfigError(where, 'unbalanced or unsupported {{ }} in template');
}

/** True when the template uses the pod's namespace, name or container. */
export function usesKubernetes(template: string): boolean {
  return [...template.matchAll(PLACEHOLDER)].some((m) => (KUBERNETES_FIELDS as readonly string[]).includes(m[1]));
}

/** True when the template has no placeholder: the group name is fixed (and can be declared). */
export function isFixedName(template: string): boolean {
  return !/\{\{/.test(template);
}

export function expandTemplate(template: string, ctx: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_all, field: string, sub: string | undefined) => {
    if (field === 'Matches') return ctx.Matches[sub ?? ''] ?? '';
    if (field === 'Cgroups') return ctx.Cgroup;
    return String((ctx as unknown as Record<string, string>)[field] ?? '');
  });
}

/**
 * Compiles a regex written for Go's RE2 (process-exporter) or JavaScript:
 * a leading `(?i)` becomes the i flag, and RE2's own syntax is translated
 * (`(?P<name>…)`, POSIX classes such as `[[:alpha:]]`, `\A`, `\z`: ./regex.ts)
 * or refused with an error naming the pattern, never left to match nothing.
 */
export function compileRegex(source: string, where: string): RegExp {
  let src = source;
  let flags = '';
  const m = /^\(\?([ims]+)\)/.exec(src);
  if (m) {
    flags = [...new Set(m[1].split(''))].join('');
    src = src.slice(m[0].length);
  }
  try {
    src = re2ToJs(src);
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    throw new ConfigError(where, `unsupported regex ${JSON.stringify(source)}: ${e.message}`);
  }
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new ConfigError(where, `invalid regex ${JSON.stringify(source)}: ${errorMessage(e).replace(/^Invalid regular expression: /, '')}`);
  }
}
