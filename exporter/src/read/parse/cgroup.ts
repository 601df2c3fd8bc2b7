/** cgroup facts of a process, from /proc/<pid>/cgroup. */
export interface ParsedCgroup {
  /** cgroup v2 path (`0::/...`), or the v1 name=systemd / cpu path when there is no v2 line; '' when none. */
  path: string;
  /**
   * 64-hex container id (docker, containerd, cri-o, podman) found in the path,
   * else in the v1 name=systemd or cpu path (hybrid hosts: `0::/` beside
   * `1:name=systemd:/docker/<id>`); the innermost one when containers nest
   * (a kind or minikube node is itself a container); '' when none.
   */
  containerId: string;
  /**
   * Kubernetes pod UID from the kubelet's pod cgroup (`pod<uid>` with the
   * cgroupfs driver, `…-pod<uid with _>.slice` with the systemd driver), with
   * dashes; a static pod's 32-hex config hash as it is; '' when none.
   */
  podUid: string;
  /**
   * systemd unit (`*.service`, `*.scope`) nearest to the leaf, searched in the
   * same order; '' when none, and never the runtime's unit that holds a
   * container (`containerd.service/…:cri-containerd:<id>`).
   */
  systemdUnit: string;
  /**
   * The cgroup of each resource controller: its v1 line where the host mounts that controller
   * as v1 (`cpu,cpuacct`, `cpuset`, `memory`, `blkio` for io), else the v2 path; '' when neither.
   */
  controllers: ControllerCgroups;
}

/** The cgroup a process lives in per resource controller (what it shares a quota, cpuset or limit with). */
export interface ControllerCgroups {
  cpu: string;
  cpuset: string;
  memory: string;
  io: string;
}

/** v1 controller names of each resource. */
const V1_NAMES: Record<keyof ControllerCgroups, string> = { cpu: 'cpu', cpuset: 'cpuset', memory: 'memory', io: 'blkio' };

/**
 * A container id: 64 hex digits as a path segment (cgroupfs), in a
 * `<runtime>-<id>.scope` unit (systemd: docker-, cri-containerd-, crio-,
 * crio-conmon-, libpod-), or after containerd's own `:cri-containerd:`.
 */
const CONTAINER_ID = /(?:^|[/:-])([0-9a-f]{64})(?:\.scope)?(?=\/|$)/g;
/** The kubelet's pod cgroup: `pod<uid>` (cgroupfs) or `<qos>-pod<uid_with_underscores>.slice` (systemd). */
const POD_UID = /(?:^|[/-])pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})(?:\.slice)?(?=[/:]|$)/g;

/** The last match of a global regex (the innermost cgroup) and where it ends. */
function last(re: RegExp, p: string): { value: string; end: number } | null {
  let found: { value: string; end: number } | null = null;
  for (const m of p.matchAll(re)) found = { value: m[1], end: (m.index ?? 0) + m[0].length };
  return found;
}

/** Never throws: odd content yields empty fields. */
export function parseCgroup(text: string): ParsedCgroup {
  let path = '';
  let systemdV1 = '';
  let cpuV1 = '';
  const v1: Partial<ControllerCgroups> = {};
  /** Any other v1 controller's path below the root (hosts where cpu is not mounted, or a file cut short). */
  let otherV1 = '';
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const id = line.slice(0, first);
    const controllers = line.slice(first + 1, second);
    const p = line.slice(second + 1);
    const names = controllers.split(',');
    for (const [key, name] of Object.entries(V1_NAMES) as Array<[keyof ControllerCgroups, string]>) if (id !== '0' && names.includes(name)) v1[key] ??= p;
    if (id === '0' && controllers === '') path = p;
    else if (controllers === 'name=systemd') systemdV1 = p;
    else if (!cpuV1 && controllers.split(',').includes('cpu')) cpuV1 = p;
    else if (!otherV1 && p !== '/' && controllers !== '') otherV1 = p;
  }
  const v2 = path;
  if (!path) path = systemdV1 || cpuV1;
  // `path` stays the v2 path (cgroup pressure is read under it); the identity may sit in the v1 lines.
  const candidates = [path, systemdV1, cpuV1, otherV1];
  const firstOf = (find: (p: string) => string): string => candidates.map(find).find((x) => x !== '') ?? '';
  return {
    path,
    containerId: firstOf((p) => last(CONTAINER_ID, p)?.value ?? ''),
    podUid: firstOf((p) => {
      const uid = last(POD_UID, p)?.value ?? '';
      return uid.length === 36 ? uid.replace(/_/g, '-') : uid;
    }),
    systemdUnit: firstOf((p) => {
      // Only below the innermost container: a unit above it is the runtime's or the node's, not the process's.
      const below = p.slice(last(CONTAINER_ID, p)?.end ?? 0);
      return (
        below
          .split('/')
          .filter((s) => /\.(service|scope)$/.test(s))
          .pop() ?? ''
      );
    }),
    controllers: { cpu: v1.cpu ?? v2, cpuset: v1.cpuset ?? v2, memory: v1.memory ?? v2, io: v1.io ?? v2 },
  };
}
