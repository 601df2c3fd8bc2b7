import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_RULE_OPTIONS } from '../../alert-rules/src/options';
import { kustomizations, render, requireKubectl, ROOT, schemaErrors, unknownFieldErrors, type K8sObject } from './manifests';

interface Container {
  name: string;
  args: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  ports: Array<{ name: string; containerPort: number }>;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: {
    runAsUser?: number;
    runAsNonRoot?: boolean;
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
    appArmorProfile?: { type: string };
  };
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}
interface PodSpec {
  hostPID?: boolean;
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { seccompProfile?: { type: string } };
  tolerations?: Array<{ operator?: string; key?: string; effect?: string }>;
  containers: Container[];
  volumes: Array<{ name: string; hostPath?: { path: string }; emptyDir?: object; secret?: { secretName: string } }>;
}
interface Endpoint {
  port: string;
  path?: string;
  scheme?: string;
  basicAuth?: unknown;
  tlsConfig?: { serverName?: string; ca?: { secret?: { name: string; key: string } } };
  relabelings?: Array<{ action?: string; sourceLabels?: string[]; targetLabel?: string; replacement?: string }>;
}

const RENDERINGS = kustomizations();
const rendered = new Map<string, K8sObject[]>();
const objectsOf = (dir: string): K8sObject[] => {
  let objs = rendered.get(dir);
  if (!objs) {
    objs = render(dir);
    rendered.set(dir, objs);
  }
  return objs;
};
const one = (objs: K8sObject[], kind: string): K8sObject => {
  const found = objs.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const podSpec = (objs: K8sObject[]): PodSpec => (one(objs, 'DaemonSet').spec as { template: { spec: PodSpec } }).template.spec;
const container = (objs: K8sObject[]): Container => podSpec(objs).containers[0];
const flag = (c: Container, name: string): string | undefined => c.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const monitorEndpoints = (objs: K8sObject[]): Endpoint[] => {
  const monitors = objs.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor');
  return monitors.flatMap((m) => {
    const spec = m.spec as { endpoints?: Endpoint[]; podMetricsEndpoints?: Endpoint[] };
    return spec.endpoints ?? spec.podMetricsEndpoints ?? [];
  });
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

/** Flags and environment variables the exporter has (docs/config.md is generated from its flag table and checked by a test). */
const configDoc = readFileSync(join(ROOT, 'docs', 'config.md'), 'utf8');
const KNOWN_FLAGS = new Set([...configDoc.matchAll(/^\| `(--[\w.-]+)` \| `(PROCSIGHT_\w+)`/gm)].map((m) => m[1]));
const KNOWN_ENV = new Set([...configDoc.matchAll(/^\| `--[\w.-]+` \| `(PROCSIGHT_\w+)`/gm)].map((m) => m[1]));

beforeAll(() => requireKubectl());

describe('every kustomization under deploy/kubernetes renders and is valid', () => {
  it('finds the default, the base and the overlays', () => {
    expect(RENDERINGS).toEqual(
      expect.arrayContaining(['.', 'base', 'overlays/tls-auth', 'overlays/podmonitor', 'overlays/kube-prometheus-stack', 'overlays/non-root']),
    );
  });

  it.each(RENDERINGS)('%s: every object passes the Kubernetes or prometheus-operator schema', (dir) => {
    const objs = objectsOf(dir);
    expect(objs.length).toBeGreaterThan(5);
    expect(objs.flatMap(schemaErrors)).toEqual([]);
  });

  it('no object of any rendering has a field its schema does not know (a misspelt field would be dropped silently)', () => {
    const all = RENDERINGS.flatMap((dir) => objectsOf(dir).map((obj) => ({ label: dir, obj })));
    expect(unknownFieldErrors(all)).toEqual([]);
  }, 60_000);

  it.each(RENDERINGS)('%s: namespaced objects share one namespace, the RBAC subject included; one scrape config, whose selector matches the pods', (dir) => {
    const objs = objectsOf(dir);
    const namespaces = new Set(objs.filter((o) => !CLUSTER_SCOPED.has(o.kind)).map((o) => o.metadata.namespace));
    expect([...namespaces]).toHaveLength(1);
    const [ns] = namespaces;
    const sa = one(objs, 'ServiceAccount');
    const binding = one(objs, 'ClusterRoleBinding') as K8sObject & { subjects: Array<{ kind: string; name: string; namespace: string }> };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: ns }]);
    expect(podSpec(objs).serviceAccountName).toBe(sa.metadata.name);
    const namespaceObjs = objs.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    if (namespaceObjs.length > 0) expect(namespaceObjs).toEqual([ns]);

    // Exactly one ServiceMonitor or PodMonitor: with both, every series would be scraped twice.
    const monitors = objs.filter((o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor');
    expect(monitors).toHaveLength(1);
    const podLabels = (one(objs, 'DaemonSet').spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    const monitor = monitors[0] as K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } };
    const service = one(objs, 'Service') as K8sObject & { spec: { selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> } };
    expect(podLabels).toMatchObject(service.spec.selector);
    const portNames = container(objs).ports.map((p) => p.name);
    if (monitor.kind === 'ServiceMonitor') {
      expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      for (const e of monitorEndpoints(objs)) expect(service.spec.ports.map((p) => p.name)).toContain(e.port);
      for (const p of service.spec.ports) expect(portNames).toContain(p.targetPort);
    } else {
      expect(podLabels).toMatchObject(monitor.spec.selector.matchLabels);
      for (const e of monitorEndpoints(objs)) expect(portNames).toContain(e.port);
    }
  });

  it.each(RENDERINGS)("%s: scraped as the alert rules' job with instance = the node (what they select and link by)", (dir) => {
    for (const e of monitorEndpoints(objectsOf(dir))) {
      expect(e.path ?? '/metrics').toBe('/metrics');
      expect(e.relabelings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ targetLabel: 'job', replacement: DEFAULT_RULE_OPTIONS.job }),
          expect.objectContaining({ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance' }),
        ]),
      );
    }
  });

  it.each(RENDERINGS)('%s: the exporter gets only flags and environment variables it has', (dir) => {
    const c = container(objectsOf(dir));
    expect(KNOWN_FLAGS.size).toBeGreaterThan(5);
    for (const a of c.args) expect({ arg: a, known: KNOWN_FLAGS.has(a.split('=')[0]) }).toEqual({ arg: a, known: true });
    for (const e of c.env ?? [])
      if (e.name.startsWith('PROCSIGHT_')) expect({ env: e.name, known: KNOWN_ENV.has(e.name) }).toEqual({ env: e.name, known: true });
  });

  it.each(RENDERINGS)('%s: probes and the listen port agree', (dir) => {
    const c = container(objectsOf(dir));
    const http = c.ports.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(Number(flag(c, '--web.listen-address')?.split(':').pop()));
    for (const probe of [c.livenessProbe, c.readinessProbe]) expect((probe.httpGet ?? probe.tcpSocket)?.port).toBe('http');
  });
});

describe('the base DaemonSet (what `kubectl apply -k deploy/kubernetes` installs)', () => {
  const objs = (): K8sObject[] => objectsOf('.');

  it('renders the same as the base', () => {
    expect(objectsOf('.')).toEqual(objectsOf('base'));
  });

  it('sees every process of the node through a read-only host /proc and cgroup tree', () => {
    const spec = podSpec(objs());
    const c = container(objs());
    expect(spec.hostPID).toBe(true);
    const mount = (path: string) => c.volumeMounts.find((m) => m.mountPath === path);
    const hostPathOf = (name: string | undefined) => spec.volumes.find((v) => v.name === name)?.hostPath?.path;
    const procfs = flag(c, '--path.procfs');
    const cgroupfs = flag(c, '--path.cgroupfs');
    expect(procfs).toBe('/host/proc');
    expect(cgroupfs).toBe('/host/sys/fs/cgroup');
    expect(mount(procfs!)).toMatchObject({ readOnly: true });
    expect(hostPathOf(mount(procfs!)?.name)).toBe('/proc');
    expect(mount(cgroupfs!)).toMatchObject({ readOnly: true });
    expect(hostPathOf(mount(cgroupfs!)?.name)).toBe('/sys/fs/cgroup');
  });

  it('holds exactly CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, as uid 0 because a non-root uid would lose them at exec (capabilities.test.ts)', () => {
    const sc = container(objs()).securityContext;
    expect(sc.capabilities?.drop).toEqual(['ALL']);
    expect([...(sc.capabilities?.add ?? [])].sort()).toEqual(['DAC_READ_SEARCH', 'SYS_PTRACE']);
    expect(sc.runAsUser).toBe(0);
    expect(sc.privileged).toBe(false);
    expect(sc.allowPrivilegeEscalation).toBe(false);
    expect(sc.readOnlyRootFilesystem).toBe(true);
    expect(podSpec(objs()).securityContext?.seccompProfile?.type ?? sc.seccompProfile?.type).toBe('RuntimeDefault');
  });

  it("is not confined by the runtime's default AppArmor profile, which refuses reading the host's processes whatever the capabilities", () => {
    expect(container(objs()).securityContext.appArmorProfile).toEqual({ type: 'Unconfined' });
  });

  it('writes only to its state directory (--storage.path) and an emptyDir /tmp; every host mount but the state is read-only', () => {
    const spec = podSpec(objs());
    const c = container(objs());
    const writable = c.volumeMounts
      .filter((m) => !m.readOnly)
      .map((m) => m.mountPath)
      .sort();
    expect(writable).toEqual([flag(c, '--storage.path'), '/tmp'].sort());
    const tmp = c.volumeMounts.find((m) => m.mountPath === '/tmp');
    expect(spec.volumes.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it('probes /healthz for liveness and /readyz for readiness', () => {
    const c = container(objs());
    expect(c.livenessProbe.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet?.path).toBe('/readyz');
  });

  it('has resource requests no larger than its limits', () => {
    const { requests, limits } = container(objs()).resources;
    const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
    const mem = (q: string) => Number(q.replace(/Mi$/, '')) * (q.endsWith('Mi') ? 1 : NaN);
    expect(cpu(requests.cpu)).toBeLessThanOrEqual(cpu(limits.cpu));
    expect(mem(requests.memory)).toBeLessThanOrEqual(mem(limits.memory));
  });

  it('runs on every node: tolerates every taint; knows its node from the downward API', () => {
    const spec = podSpec(objs());
    expect(spec.tolerations).toContainEqual({ operator: 'Exists' });
    const env = container(objs()).env ?? [];
    expect(env.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    // Backfill looks for the instance the monitors set: the node name.
    expect(env.find((e) => e.name === 'PROCSIGHT_HISTORY_INSTANCE')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
  });

  it('may only read pods (get, list, watch): the pod labels of its node', () => {
    const role = one(objs(), 'ClusterRole') as K8sObject & { rules: unknown[] };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    expect(podSpec(objs()).automountServiceAccountToken).toBe(true);
  });

  it('carries the rules file as a PrometheusRule, group for group', () => {
    const rules = parse(readFileSync(join(ROOT, 'alert-rules', 'procsight.rules.yml'), 'utf8')) as { groups: unknown[] };
    const pr = one(objs(), 'PrometheusRule') as K8sObject & { spec: { groups: unknown[] } };
    expect(pr.spec.groups).toEqual(rules.groups);
  });

  it('ships every dashboard in dashboards/ as a ConfigMap for the Grafana sidecar', () => {
    const cms = objs().filter((o) => o.metadata.labels?.grafana_dashboard === '1') as Array<K8sObject & { data: Record<string, string> }>;
    const files = ['procsight-exporter.json', 'procsight-forecasts.json', 'procsight-group.json', 'procsight-overview.json'];
    expect(cms.flatMap((c) => Object.keys(c.data)).sort()).toEqual(files);
    for (const cm of cms) {
      expect(cm.kind).toBe('ConfigMap');
      for (const [file, json] of Object.entries(cm.data)) expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(join(ROOT, 'dashboards', file), 'utf8')));
    }
  });

  it('allows the privileged Pod Security level in its own namespace (hostPID and hostPath are beyond baseline)', () => {
    expect(one(objs(), 'Namespace').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
  });
});

describe('overlays', () => {
  it('tls-auth: --web.config.file from the mounted Secret, TCP probes, https + basic auth in the ServiceMonitor, no Secret committed', () => {
    const objs = objectsOf('overlays/tls-auth');
    const spec = podSpec(objs);
    const c = container(objs);
    const webConfig = flag(c, '--web.config.file');
    const mount = c.volumeMounts.find((m) => webConfig?.startsWith(`${m.mountPath}/`));
    expect(mount?.readOnly).toBe(true);
    expect(spec.volumes.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('procsight-web');
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
    expect(c.livenessProbe.httpGet).toBeUndefined();
    expect(c.readinessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
    const [e] = monitorEndpoints(objs);
    expect(e.scheme).toBe('https');
    expect(e.tlsConfig?.serverName).toBe('procsight');
    expect(e.tlsConfig?.ca?.secret).toEqual({ name: 'procsight-scrape', key: 'ca.crt' });
    expect(e.basicAuth).toEqual({ username: { name: 'procsight-scrape', key: 'username' }, password: { name: 'procsight-scrape', key: 'password' } });
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('podmonitor: a PodMonitor replaces the ServiceMonitor', () => {
    const kinds = objectsOf('overlays/podmonitor').map((o) => o.kind);
    expect(kinds).toContain('PodMonitor');
    expect(kinds).not.toContain('ServiceMonitor');
  });

  it('kube-prometheus-stack: everything in monitoring with the release label, no Namespace object', () => {
    const objs = objectsOf('overlays/kube-prometheus-stack');
    expect(objs.filter((o) => o.kind === 'Namespace')).toEqual([]);
    for (const o of objs.filter((x) => !CLUSTER_SCOPED.has(x.kind))) expect(o.metadata.namespace).toBe('monitoring');
    for (const kind of ['ServiceMonitor', 'PrometheusRule']) expect(one(objs, kind).metadata.labels?.release).toBe('kube-prometheus-stack');
  });

  it('non-root: uid 65534 with no capability, state in an emptyDir', () => {
    const objs = objectsOf('overlays/non-root');
    const sc = container(objs).securityContext;
    expect(sc).toMatchObject({
      runAsUser: 65534,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(sc.capabilities?.add).toBeUndefined();
    const state = container(objs).volumeMounts.find((m) => m.mountPath === flag(container(objs), '--storage.path'));
    expect(podSpec(objs).volumes.find((v) => v.name === state?.name)?.emptyDir).toBeDefined();
  });
});
