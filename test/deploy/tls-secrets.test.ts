/**
 * The tls-auth overlay end to end, short of a cluster: the commands of
 * docs/kubernetes.md make the two Secrets (kubectl create … --dry-run=client
 * through a stand-in on PATH), the procsight-web Secret's keys are written as
 * files the way the kubelet mounts them, the real exporter starts with the
 * overlay's --web.config.file on them, and a client scrapes as the overlay's
 * ServiceMonitor does: https, its serverName and CA, the username and password
 * of procsight-scrape.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runExporter, type RunningBinary } from '../helpers/binary';
import { findKind, render, ROOT, type K8sObject } from './manifests';

interface Secret {
  metadata: { name: string; namespace: string };
  data: Record<string, string>;
}
interface Endpoint {
  scheme: string;
  tlsConfig: { serverName: string; ca: { secret: { name: string; key: string } } };
  basicAuth: { username: { name: string; key: string }; password: { name: string; key: string } };
}

/** The first ```sh block under the docs' "### TLS and basic auth" heading. */
function documentedCommands(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'kubernetes.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### TLS and basic auth'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/kubernetes.md: no sh block under "### TLS and basic auth"');
  return m[1];
}

/** kubectl stand-in: `create secret` runs the real kubectl with --dry-run=client and keeps the YAML; `apply -k` is noted. */
const SHIM = `#!/bin/bash
set -euo pipefail
ns=default
if [ "$1" = "-n" ]; then ns=$2; shift 2; fi
if [ "$1 $2" = "create secret" ]; then
  exec "$REAL_KUBECTL" -n "$ns" "$@" --dry-run=client -o yaml > "$SECRETS_OUT/$4.yaml"
fi
echo "$@" >> "$SECRETS_OUT/other-commands"
`;

function get(opts: { port: number; serverName: string; ca: Buffer; auth?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: '/metrics',
        servername: opts.serverName,
        ca: opts.ca,
        headers: opts.auth ? { authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` } : {},
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe("docs/kubernetes.md's Secrets for overlays/tls-auth, used as the overlay uses them", () => {
  let dir: string;
  let secrets: Map<string, Secret>;
  let exporter: RunningBinary | undefined;
  const overlay = (): K8sObject[] => render('overlays/tls-auth');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-tls-secrets-'));
    const bin = join(dir, 'bin');
    const out = join(dir, 'secrets');
    const work = join(dir, 'work');
    for (const d of [bin, out, work]) mkdirSync(d);
    writeFileSync(join(bin, 'kubectl'), SHIM);
    chmodSync(join(bin, 'kubectl'), 0o755);
    const realKubectl = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    execFileSync('bash', ['-euo', 'pipefail', '-c', documentedCommands()], {
      cwd: work,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, REAL_KUBECTL: realKubectl, SECRETS_OUT: out, NODE_PATH: join(ROOT, 'node_modules') },
      stdio: 'pipe',
      timeout: 60_000,
    });
    secrets = new Map(
      readdirSync(out)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => {
          const s = parse(readFileSync(join(out, f), 'utf8')) as Secret;
          return [s.metadata.name, s];
        }),
    );
  }, 90_000);

  afterAll(async () => {
    await exporter?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const decoded = (name: string, key: string): Buffer => Buffer.from(secrets.get(name)?.data[key] ?? '', 'base64');

  it("makes the two Secrets the overlay names, in the base's namespace, and applies the overlay", () => {
    const ns = overlay().find((o) => o.kind === 'DaemonSet')?.metadata.namespace;
    expect([...secrets.keys()].sort()).toEqual(['procsight-scrape', 'procsight-web']);
    for (const s of secrets.values()) expect(s.metadata.namespace).toBe(ns);
    expect(Object.keys(secrets.get('procsight-web')!.data).sort()).toEqual(['tls.crt', 'tls.key', 'web-config.yml']);
    expect(Object.keys(secrets.get('procsight-scrape')!.data).sort()).toEqual(['ca.crt', 'password', 'username']);
    expect(readFileSync(join(dir, 'secrets', 'other-commands'), 'utf8').trim()).toBe('apply -k deploy/kubernetes/overlays/tls-auth');
  });

  it("keeps each side's secrets apart: the exporter gets no password and no CA key, Prometheus no private key", () => {
    const web = Object.values(secrets.get('procsight-web')!.data).map((v) => Buffer.from(v, 'base64').toString());
    const password = decoded('procsight-scrape', 'password').toString();
    expect(password.length).toBeGreaterThanOrEqual(24);
    for (const v of web) expect(v).not.toContain(password);
    for (const v of Object.values(secrets.get('procsight-scrape')!.data)) expect(Buffer.from(v, 'base64').toString()).not.toMatch(/PRIVATE KEY/);
  });

  it("the exporter started on the mounted Secret answers the ServiceMonitor's scrape: 200 with the password, 401 without", async () => {
    const objs = overlay();
    const ds = findKind<{
      spec: {
        template: {
          spec: {
            containers: Array<{ args: string[]; volumeMounts: Array<{ name: string; mountPath: string }> }>;
            volumes: Array<{ name: string; secret?: { secretName: string } }>;
          };
        };
      };
    }>(objs, 'DaemonSet');
    const pod = ds.spec.template.spec;
    const webConfigFlag = pod.containers[0].args.find((a) => a.startsWith('--web.config.file='))!;
    const mount = pod.containers[0].volumeMounts.find((m) => webConfigFlag.slice('--web.config.file='.length).startsWith(`${m.mountPath}/`))!;
    const secretName = pod.volumes.find((v) => v.name === mount.name)!.secret!.secretName;
    // The kubelet's mount: one file per key of the Secret, under the mount path.
    const mounted = join(dir, 'mount', mount.mountPath);
    mkdirSync(mounted, { recursive: true });
    for (const key of Object.keys(secrets.get(secretName)!.data)) writeFileSync(join(mounted, key), decoded(secretName, key), { mode: 0o400 });
    const webConfigPath = join(dir, 'mount', webConfigFlag.slice('--web.config.file='.length));

    exporter = await runExporter([`--web.config.file=${webConfigPath}`, '--collect.interval=1s']);
    const port = Number(new URL(exporter.url).port);
    const sm = findKind<{ spec: { endpoints: Endpoint[] } }>(objs, 'ServiceMonitor');
    const e = sm.spec.endpoints[0];
    expect(e.scheme).toBe('https');
    const ca = decoded(e.tlsConfig.ca.secret.name, e.tlsConfig.ca.secret.key);
    const auth = `${decoded(e.basicAuth.username.name, e.basicAuth.username.key).toString()}:${decoded(e.basicAuth.password.name, e.basicAuth.password.key).toString()}`;

    let ok = await get({ port, serverName: e.tlsConfig.serverName, ca, auth });
    for (let i = 0; i < 40 && !/^procsight_build_info\{/m.test(ok.body); i++) {
      await new Promise((r) => setTimeout(r, 250));
      ok = await get({ port, serverName: e.tlsConfig.serverName, ca, auth });
    }
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^procsight_build_info\{/m);
    expect((await get({ port, serverName: e.tlsConfig.serverName, ca })).status).toBe(401);
    // Another name than the certificate's fails the handshake: serverName must stay "procsight".
    await expect(get({ port, serverName: 'not-procsight', ca, auth })).rejects.toThrow(/altnames|certificate/i);
  }, 60_000);
});
