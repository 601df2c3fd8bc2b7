/** cgroup facts of a process, from /proc/<pid>/cgroup. */
export interface ParsedCgroup {
  /** cgroup v2 path (`0::/...`), or the v1 name=systemd / cpu path when there is no v2 line; '' when none. */
  path: string;
  /**
   * 64-hex container id (docker, containerd, cri-o, podman) found in the path,
   * else in the v1 name=systemd or cpu path (hybrid hosts: `0::/` beside
   * `1:name=systemd:/docker/<id>`); '' when none.
   */
  containerId: string;
  /** systemd unit (`*.service`, `*.scope`) nearest to the leaf, searched in the same order; '' when none. */
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

const CONTAINER_ID = /(?:^|[/-])([0-9a-f]{64})(?:\.scope)?(?:\/|$)/;

/** Never throws: odd content yields empty fields. */
export function parseCgroup(text: string): ParsedCgroup {
  let path = '';
  let systemdV1 = '';
  let cpuV1 = '';
  const v1: Partial<ControllerCgroups> = {};
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
    else if (!cpuV1 && names.includes('cpu')) cpuV1 = p;
  }
  const v2 = path;
  if (!path) path = systemdV1 || cpuV1;
  // `path` stays the v2 path (cgroup pressure is read under it); the identity may sit in the v1 lines.
  const candidates = [path, systemdV1, cpuV1];
  const firstOf = (find: (p: string) => string): string => candidates.map(find).find((x) => x !== '') ?? '';
  return {
    path,
    containerId: firstOf((p) => CONTAINER_ID.exec(p)?.[1] ?? ''),
    systemdUnit: firstOf((p) => p.split('/').filter((s) => /\.(service|scope)$/.test(s) && !CONTAINER_ID.test(`/${s}`)).pop() ?? ''),
    controllers: { cpu: v1.cpu ?? v2, cpuset: v1.cpuset ?? v2, memory: v1.memory ?? v2, io: v1.io ?? v2 },
  };
}
