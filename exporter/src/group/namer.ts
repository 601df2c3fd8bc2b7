import { basename } from 'node:path';
import type { GroupingConfig, ProcNames } from './config';
import { compileRegex, expandTemplate, isFixedName, usesKubernetes, type TemplateContext } from './template';
import type { PodRef } from '../read/kubernetes/pods';
import { OVERFLOW_GROUP } from '@procsight/contract';
import type { ProcIdentity } from '../read/types';

/** Maps a process to its group name; null = matched by no rule (not exported). */
export interface Namer {
  name(id: ProcIdentity): string | null;
  /**
   * The process is in a pod that the Kubernetes cache does not know yet and a
   * rule needs the pod's names: its name is not final (track/tracker.ts holds it back).
   */
  pending(id: ProcIdentity): boolean;
  /** Groups that exist at 0 from start. */
  declaredGroups(): string[];
  /** Fixed group names whose processes get per-pid series. */
  pidSeriesGroups(): string[];
}

interface Rule {
  template: string;
  comm?: Set<string>;
  exe?: string[];
  cmdline?: RegExp[];
  cgroup?: RegExp;
  container?: boolean | RegExp;
  units?: Set<string>;
  users?: Set<string>;
  pod?: boolean | RegExp;
  namespaces?: Set<string>;
  declared: boolean;
  pidSeries: boolean;
  /**
   * process-exporter semantics: `exe`, {{.ExeBase}} and {{.ExeFull}} refer to
   * argv[0]; procsight's own rules use the executable (readlink exe).
   */
  argv0: boolean;
}

const MAX_NAME = 128;
/** Group of all kernel threads under the default grouping. */
export const KERNEL_GROUP = 'kernel_threads';
/** The name a group gets when its template yields the overflow group's name. */
export const RENAMED_OTHER = `${OVERFLOW_GROUP}_`;

/** A pattern with a slash must equal the path; otherwise it is compared with the base name. */
function exeMatches(patterns: readonly string[], path: string): boolean {
  const base = basename(path);
  return patterns.some((p) => (p.includes('/') ? p === path : p === base));
}

/** process-exporter's -procnames / -namemapping grouping (its MatchAndName). */
function procNamesNamer(p: ProcNames): Namer {
  const mapping = new Map<string, RegExp | null>();
  for (const { comm, regex } of p.mapping) mapping.set(comm, compileRegex(regex, `-namemapping (${comm})`));
  for (const n of p.names) if (!mapping.has(n)) mapping.set(n, null);
  return {
    name(id) {
      if (!mapping.has(id.comm)) return null;
      const re = mapping.get(id.comm);
      if (!re) return id.comm === OVERFLOW_GROUP ? RENAMED_OTHER : id.comm;
      const m = re.exec(id.cmdline);
      const capture = m?.slice(1).find((x) => x !== undefined && x !== '');
      return capture === undefined ? null : `${id.comm}:${capture}`.slice(0, MAX_NAME);
    },
    pending: () => false,
    declaredGroups: () => p.names.filter((n) => !p.mapping.some((x) => x.comm === n) && n !== OVERFLOW_GROUP),
    pidSeriesGroups: () => [],
  };
}

/** The pods of the node, for rules and templates that use them (read/kubernetes). */
export interface PodLookup {
  lookup(podUid: string, containerId: string): PodRef | null;
}

/** Compiles the config's rules once; `name()` runs once per new process. */
export function createNamer(config: GroupingConfig, opts: { pods?: PodLookup | null } = {}): Namer {
  if (!config.groups && !config.process_names && config.procnames) return procNamesNamer(config.procnames);
  const pods = opts.pods ?? null;
  const rules: Rule[] = [];
  if (config.groups) {
    config.groups.forEach((g, i) => {
      const fixed = isFixedName(g.name);
      rules.push({
        template: g.name,
        comm: g.comm ? new Set(g.comm) : undefined,
        exe: g.exe,
        cmdline: g.cmdline?.map((re, j) => compileRegex(re, `groups[${i}].cmdline[${j}]`)),
        cgroup: g.cgroup ? compileRegex(g.cgroup, `groups[${i}].cgroup`) : undefined,
        container: typeof g.container === 'string' ? compileRegex(g.container, `groups[${i}].container`) : g.container,
        units: g.systemd_unit ? new Set(g.systemd_unit) : undefined,
        users: g.user ? new Set(g.user) : undefined,
        pod: typeof g.pod === 'string' ? compileRegex(g.pod, `groups[${i}].pod`) : g.pod,
        namespaces: g.namespace ? new Set(g.namespace) : undefined,
        declared: g.declared ?? fixed,
        pidSeries: g.pid_series && fixed,
        argv0: false,
      });
    });
  } else if (config.process_names) {
    config.process_names.forEach((g, i) => {
      rules.push({
        template: g.name,
        comm: g.comm ? new Set(g.comm) : undefined,
        exe: g.exe,
        cmdline: g.cmdline?.map((re, j) => compileRegex(re, `process_names[${i}].cmdline[${j}]`)),
        // process-exporter does not pre-declare groups; a fixed name is declared here so "not running" can alert.
        declared: isFixedName(g.name),
        pidSeries: false,
        argv0: true,
      });
    });
  }
  const defaultRule = rules.length === 0;
  if (defaultRule) rules.push({ template: '{{.Comm}}', declared: false, pidSeries: false, argv0: false });
  // Rules that need the pod's names: a process of an unknown pod waits for them (pending).
  const needsPods = pods !== null && rules.some((r) => usesKubernetes(r.template) || r.namespaces !== undefined || r.pod instanceof RegExp);
  const podOf = (id: ProcIdentity): PodRef | null => (pods && id.podUid ? pods.lookup(id.podUid, id.containerId) : null);

  return {
    name(id) {
      // Default grouping: kernel threads change their comm (kworker/u8:0-events…), so they share one group.
      if (defaultRule && id.kernelThread) return KERNEL_GROUP;
      for (const r of rules) {
        // process-exporter semantics: comm, exe and cmdline of one rule are ANDed when present.
        if (r.comm && !r.comm.has(id.comm)) continue;
        // Processes whose executable is unreadable fall back to argv[0], then comm.
        const exePath = (r.argv0 ? id.argv[0] : id.exe) || id.argv[0] || id.comm;
        if (r.exe && !exeMatches(r.exe, exePath)) continue;
        if (r.cgroup && !r.cgroup.test(id.cgroup)) continue;
        if (r.container !== undefined) {
          if (r.container === true && !id.containerId) continue;
          if (r.container === false && id.containerId) continue;
          if (r.container instanceof RegExp && !r.container.test(id.containerId)) continue;
        }
        if (r.units && !r.units.has(id.systemdUnit)) continue;
        if (r.users && !r.users.has(id.username) && !r.users.has(String(id.uid))) continue;
        const pod = r.pod !== undefined || r.namespaces !== undefined || usesKubernetes(r.template) ? podOf(id) : null;
        if (r.pod === true && !id.podUid) continue;
        if (r.pod === false && id.podUid) continue;
        if (r.pod instanceof RegExp && !(pod && r.pod.test(`${pod.namespace}/${pod.pod}`))) continue;
        if (r.namespaces && !(pod && r.namespaces.has(pod.namespace))) continue;
        const matches: Record<string, string> = {};
        let ok = true;
        for (const re of r.cmdline ?? []) {
          const m = re.exec(id.cmdline);
          if (!m) {
            ok = false;
            break;
          }
          Object.assign(matches, m.groups ?? {});
        }
        if (!ok) continue;
        const ctx: TemplateContext = {
          Comm: id.comm,
          ExeBase: basename(exePath),
          ExeFull: exePath,
          Username: id.username,
          Cgroup: id.systemdUnit || (id.containerId ? id.containerId.slice(0, 12) : id.cgroup),
          // A pod the API has not named (Kubernetes off, or still unknown after the grace): its UID and short container id.
          Namespace: pod?.namespace ?? '',
          Pod: pod?.pod ?? id.podUid ?? '',
          Container: pod ? pod.container : id.containerId.slice(0, 12),
          PID: String(id.pid),
          StartTime: String(id.startTicks),
          Matches: matches,
        };
        const name = expandTemplate(r.template, ctx).trim().slice(0, MAX_NAME) || id.comm;
        // group="other" means the overflow group; a process that names itself so is kept apart from it.
        return name === OVERFLOW_GROUP ? RENAMED_OTHER : name || null;
      }
      return null;
    },
    pending: (id) => needsPods && Boolean(id.podUid) && podOf(id) === null,
    declaredGroups: () => [...new Set(rules.filter((r) => r.declared && isFixedName(r.template)).map((r) => r.template))],
    pidSeriesGroups: () => [...new Set(rules.filter((r) => r.pidSeries).map((r) => r.template))],
  };
}
