import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../exporter/src/compose';
import { FIXTURES_PROC } from '../helpers/procfs';
import { KUBE_FIXTURES, KubeStandIn, makeCredentials } from '../helpers/kube-stand-in';
import { parseMetrics, startExporter } from '../helpers/exporter';

/**
 * Issue 23, point 2, end to end: the exporter reads a /proc tree whose
 * processes sit in real Kubernetes cgroups (test/fixtures/kubernetes) and
 * follows the node's pods in an HTTPS stand-in of the API server serving the
 * recorded list and watch; groups are named {{.Namespace}}/{{.Pod}}/{{.Container}}
 * and carry procsight_group_kubernetes_info.
 */
const samples = (JSON.parse(readFileSync(join(KUBE_FIXTURES, 'cgroups.json'), 'utf8')) as { samples: Array<{ source: string; text: string }> }).samples;
const cgroupOf = (source: string) => samples.find((s) => s.source.endsWith(source))!.text;

describe('pod labels from the cgroup and an HTTPS stand-in of the Kubernetes API', () => {
  const creds = makeCredentials();
  const api = new KubeStandIn(creds);
  let proc: string;
  let svc: Service | undefined;

  beforeAll(async () => {
    await api.start();
    proc = mkdtempSync(join(tmpdir(), 'procsight-kproc-'));
    cpSync(FIXTURES_PROC, proc, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(proc, '600', 'cgroup'), cgroupOf('cryptnono/cryptnono/issues/47')); // redis in shop/web-…/nginx (containerd, systemd, v2)
    writeFileSync(join(proc, '300', 'cgroup'), cgroupOf('open-telemetry/opentelemetry-java/issues/4507')); // java in a pod the list does not have yet
    const config = [
      'groups:',
      "  - name: '{{.Namespace}}/{{.Pod}}/{{.Container}}'",
      '    pod: true',
      "  - name: '{{.Comm}}'",
      'kubernetes:',
      `  api_url: ${api.url}`,
      '  node_name: node-1',
      `  token_file: ${creds.tokenFile}`,
      `  ca_file: ${creds.caFile}`,
      '',
    ].join('\n');
    svc = await startExporter({ cli: { procfsPath: proc, cgroupfsPath: '/nonexistent', kubernetesEnabled: 'true' }, configYaml: config });
  }, 30_000);

  afterAll(async () => {
    await svc?.stop();
    await api.stop();
    creds.cleanup();
    if (proc) rmSync(proc, { recursive: true, force: true });
  });

  const scrape = async () => {
    await svc!.collectNow();
    await svc!.exposition.refresh();
    return parseMetrics(await svc!.exposition.body('text'));
  };

  it('names the groups of pod processes by namespace, pod and container, and labels them', async () => {
    const m = await scrape();
    expect(m.get('procsight_group_processes{group="shop/web-7d9c8b6f5-x2k4p/nginx"}')).toBe(1);
    expect(m.get('procsight_group_kubernetes_info{group="shop/web-7d9c8b6f5-x2k4p/nginx",namespace="shop",pod="web-7d9c8b6f5-x2k4p",container="nginx"}')).toBe(
      1,
    );
    expect(m.get('procsight_group_processes{group="nginx"}')).toBe(2); // host processes: the next rule
    expect([...m.keys()].some((k) => k.startsWith('procsight_group_kubernetes_info{group="nginx"'))).toBe(false);
    expect(m.get('procsight_kubernetes_pods')).toBe(5);
    expect(m.get('procsight_kubernetes_errors_total{reason="list"}')).toBe(0);
    // java's pod is not listed yet: it waits (pending), out of every group, rather than take a wrong name.
    expect([...m.keys()].filter((k) => k.startsWith('procsight_group_processes{') && (k.includes('java') || k.includes('batch')))).toEqual([]);
  });

  it('names a waiting process as soon as the watch brings its pod', async () => {
    for (let i = 0; i < 100 && api.watching === 0; i++) await new Promise((r) => setTimeout(r, 50));
    api.push(KubeStandIn.recordedEvents()[0]); // ADDED batch/report-28934-q7f4l
    let m = new Map<string, number>();
    for (let i = 0; i < 50 && !m.has('procsight_group_processes{group="batch/report-28934-q7f4l/report"}'); i++) m = await scrape();
    expect(m.get('procsight_group_processes{group="batch/report-28934-q7f4l/report"}')).toBe(1);
    expect(
      m.get('procsight_group_kubernetes_info{group="batch/report-28934-q7f4l/report",namespace="batch",pod="report-28934-q7f4l",container="report"}'),
    ).toBe(1);
    // Its whole history joined the group, as a new process's does.
    expect(m.get('procsight_group_cpu_seconds_total{group="batch/report-28934-q7f4l/report",mode="user"}')).toBeGreaterThan(0);
  });

  it('counts a failed relist in procsight_kubernetes_errors_total and keeps the labels', async () => {
    api.failNextList = 503;
    api.push('{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}');
    let m = new Map<string, number>();
    for (let i = 0; i < 50 && (m.get('procsight_kubernetes_errors_total{reason="list"}') ?? 0) === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      m = await scrape();
    }
    expect(m.get('procsight_kubernetes_errors_total{reason="list"}')).toBe(1);
    expect(m.get('procsight_group_kubernetes_info{group="shop/web-7d9c8b6f5-x2k4p/nginx",namespace="shop",pod="web-7d9c8b6f5-x2k4p",container="nginx"}')).toBe(
      1,
    );
  });
});
