import { z } from 'zod';

/**
 * The pods of this node as the Kubernetes API describes them (v1 Pod, only
 * the fields procsight reads), and the index that turns a process's pod UID
 * and container id (from its cgroup) into namespace, pod and container names.
 * Pure: the HTTP client (./client.ts) feeds it.
 */
const containerStatus = z.object({ name: z.string(), containerID: z.string().optional() });
const podSchema = z.object({
  metadata: z.object({
    uid: z.string(),
    name: z.string(),
    namespace: z.string(),
    resourceVersion: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  status: z
    .object({
      containerStatuses: z.array(containerStatus).optional(),
      initContainerStatuses: z.array(containerStatus).optional(),
      ephemeralContainerStatuses: z.array(containerStatus).optional(),
    })
    .optional(),
});
const podListSchema = z.object({ metadata: z.object({ resourceVersion: z.string().optional(), continue: z.string().optional() }), items: z.array(podSchema) });
const watchEventSchema = z.union([
  z.object({ type: z.enum(['ADDED', 'MODIFIED', 'DELETED']), object: podSchema }),
  z.object({ type: z.literal('BOOKMARK'), object: z.object({ metadata: z.object({ resourceVersion: z.string() }) }) }),
  z.object({ type: z.literal('ERROR'), object: z.object({ code: z.number().optional(), message: z.string().optional(), reason: z.string().optional() }) }),
]);

export interface PodInfo {
  uid: string;
  namespace: string;
  name: string;
  /** Container id (64 hex, runtime prefix removed) → container name. */
  containers: Map<string, string>;
}

/** Where a process runs, as labels and template fields. */
export interface PodRef {
  namespace: string;
  pod: string;
  /** '' for a process of the pod that is in no listed container (the sandbox, CRI-O's conmon). */
  container: string;
}

/** Reads a pod's names and its containers' ids (`containerd://<id>`, `cri-o://<id>`, `docker://<id>`). */
function podInfo(raw: z.infer<typeof podSchema>): PodInfo {
  const containers = new Map<string, string>();
  const s = raw.status;
  for (const c of [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])]) {
    const id = /^[\w-]+:\/\/([0-9a-f]{64})$/.exec(c.containerID ?? '')?.[1];
    if (id) containers.set(id, c.name);
  }
  return { uid: raw.metadata.uid, namespace: raw.metadata.namespace, name: raw.metadata.name, containers };
}

/** The static pod's own UID (the hash the kubelet names its cgroup after), carried by its mirror pod. */
const MIRROR = 'kubernetes.io/config.mirror';

export class DecodeError extends Error {}

/** A PodList body: its pods and the resourceVersion to watch from. Throws DecodeError. */
export function decodePodList(body: unknown): { pods: Array<z.infer<typeof podSchema>>; resourceVersion: string; continueToken: string } {
  const r = podListSchema.safeParse(body);
  if (!r.success) throw new DecodeError(`not a PodList: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return { pods: r.data.items, resourceVersion: r.data.metadata.resourceVersion ?? '', continueToken: r.data.metadata.continue ?? '' };
}

export type WatchEvent = z.infer<typeof watchEventSchema>;

/** One line of a watch stream. Throws DecodeError. */
export function decodeWatchEvent(line: string): WatchEvent {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    throw new DecodeError(`watch event is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = watchEventSchema.safeParse(json);
  if (!r.success) throw new DecodeError(`not a pod watch event: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** The pods of the node by UID (and by a static pod's config hash), kept by list and watch. */
export class PodIndex {
  private byUid = new Map<string, PodInfo>();
  /** Set after the first complete list: until then an unknown UID may still come. */
  synced = false;

  get size(): number {
    return new Set(this.byUid.values()).size;
  }

  replace(pods: ReadonlyArray<z.infer<typeof podSchema>>): void {
    const next = new Map<string, PodInfo>();
    for (const p of pods) for (const [key, info] of keys(p)) next.set(key, info);
    this.byUid = next;
    this.synced = true;
  }

  apply(event: WatchEvent): void {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
    for (const [key, info] of keys(event.object)) {
      if (event.type === 'DELETED') this.byUid.delete(key);
      else this.byUid.set(key, info);
    }
  }

  has(podUid: string): boolean {
    return this.byUid.has(podUid);
  }

  /** Namespace, pod and container of a process; null when its pod is unknown. */
  lookup(podUid: string, containerId: string): PodRef | null {
    const p = this.byUid.get(podUid);
    return p ? { namespace: p.namespace, pod: p.name, container: p.containers.get(containerId) ?? '' } : null;
  }
}

function keys(raw: z.infer<typeof podSchema>): Array<[string, PodInfo]> {
  const info = podInfo(raw);
  const mirror = raw.metadata.annotations?.[MIRROR];
  return mirror
    ? [
        [info.uid, info],
        [mirror, info],
      ]
    : [[info.uid, info]];
}
