import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PodList } from 'kubernetes-models/v1/PodList';
import { Pod } from 'kubernetes-models/v1/Pod';
import { DecodeError, decodePodList, decodeWatchEvent, PodIndex } from '../../../../exporter/src/read/kubernetes/pods';
import { parseCgroup } from '../../../../exporter/src/read/parse/cgroup';
import { KUBE_FIXTURES, KubeStandIn } from '../../../helpers/kube-stand-in';

const list = JSON.parse(readFileSync(join(KUBE_FIXTURES, 'pods-node-1.json'), 'utf8')) as unknown;
const cgroups = (JSON.parse(readFileSync(join(KUBE_FIXTURES, 'cgroups.json'), 'utf8')) as { samples: Array<{ text: string; source: string }> }).samples;
const sample = (source: string) => parseCgroup(cgroups.find((s) => s.source.endsWith(source))!.text);

describe('the pods of a node, from the API', () => {
  it('fixtures are valid Kubernetes 1.30 objects (what the API server answers)', () => {
    // The API server leaves kind and apiVersion out of a list's items; the schema wants them, as kubectl adds them.
    const l = list as { items: Array<Record<string, unknown>> };
    const typed = { ...l, items: l.items.map((i) => ({ apiVersion: 'v1', kind: 'Pod', ...i })) };
    expect(() => new PodList(typed as ConstructorParameters<typeof PodList>[0]).validate()).not.toThrow();
    for (const line of KubeStandIn.recordedEvents()) {
      const ev = JSON.parse(line) as { type: string; object: ConstructorParameters<typeof Pod>[0] };
      if (ev.type !== 'BOOKMARK') expect(() => new Pod(ev.object).validate()).not.toThrow();
    }
  });

  it('names a process from its cgroup: pod UID and container id → namespace, pod, container', () => {
    const index = new PodIndex();
    const { pods, resourceVersion } = decodePodList(list);
    index.replace(pods);
    expect(resourceVersion).toBe('48260');
    expect(index.size).toBe(5);
    const k3s = sample('cryptnono/cryptnono/issues/47');
    expect(index.lookup(k3s.podUid, k3s.containerId)).toEqual({ namespace: 'shop', pod: 'web-7d9c8b6f5-x2k4p', container: 'nginx' });
    const conmon = sample('opencontainers/runc/issues/4620');
    expect(index.lookup(conmon.podUid, conmon.containerId)).toEqual({ namespace: 'monitoring', pod: 'node-agent-7xkq2', container: 'agent' });
    const docker = sample('peass-ng/PEASS-ng/pull/124');
    expect(index.lookup(docker.podUid, docker.containerId)).toEqual({ namespace: 'default', pod: 'legacy-app-0', container: 'app' });
    // A process of the pod outside its listed containers (the sandbox): the pod without a container.
    expect(index.lookup(k3s.podUid, 'f'.repeat(64))).toEqual({ namespace: 'shop', pod: 'web-7d9c8b6f5-x2k4p', container: '' });
    // A static pod's cgroup carries its config hash, which its mirror pod has as an annotation.
    expect(index.lookup('8f2c4b9e1a7d3f6c0e5b2a9d8c7f1e4b', '5a2f9c8e7d6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918071625')).toEqual({
      namespace: 'kube-system',
      pod: 'etcd-node-1',
      container: 'etcd',
    });
    expect(index.lookup('00000000-0000-0000-0000-000000000000', '')).toBeNull();
  });

  it('follows watch events: a new pod, a restarted container, a deleted pod', () => {
    const index = new PodIndex();
    index.replace(decodePodList(list).pods);
    const events = KubeStandIn.recordedEvents().map(decodeWatchEvent);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK', 'MODIFIED', 'DELETED']);
    for (const e of events) index.apply(e);
    const otel = sample('open-telemetry/opentelemetry-java/issues/4507');
    expect(index.lookup(otel.podUid, otel.containerId)).toEqual({ namespace: 'batch', pod: 'report-28934-q7f4l', container: 'report' });
    expect(index.lookup('7fda01c4-0ece-403d-88b4-c371d66d132a', '4b1e8d2c7a9f3e6b0d5c8a1f4e7b2d9c6a3f0e8b5d2c9a6f3e0b7d4a1c8e5f2b')?.container).toBe('nginx');
    expect(index.has('4eede96e-e976-4573-bc90-68dfe2516d3b')).toBe(false);
  });

  it('refuses what is not a pod list or a watch event', () => {
    expect(() => decodePodList({ items: 'no' })).toThrow(DecodeError);
    expect(() => decodeWatchEvent('{"type":"ADDED"')).toThrow(/not JSON/);
    expect(() => decodeWatchEvent('{"type":"RENAMED","object":{}}')).toThrow(DecodeError);
    expect(decodeWatchEvent('{"type":"ERROR","object":{"kind":"Status","code":410,"message":"too old resource version"}}')).toMatchObject({
      type: 'ERROR',
      object: { code: 410 },
    });
  });
});
