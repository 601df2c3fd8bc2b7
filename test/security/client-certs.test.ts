import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import express from 'express';
import { loadWebConfig } from '../../exporter/src/server/web-config';
import { certSans, enforceClientCerts, requireClientCert } from '../../exporter/src/server/auth';
import { ConfigError } from '../../exporter/src/errors';
import { startExporter, parseMetrics } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/**
 * client_auth_type as Go's tls.ClientAuthType, with real certificates made by
 * openssl here: a CA, a server certificate, a client certificate from that CA
 * and one from another CA.
 */
describe('TLS client certificates (client_auth_type, client_allowed_sans, cipher_suites, curve_preferences)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-mtls-'));
  const p = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  const ecKey = (name: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p(name)]);
  const ca = (name: string) => {
    ecKey(`${name}.key`);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      p(`${name}.key`),
      '-out',
      p(`${name}.pem`),
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  };
  const leaf = (name: string, issuer: string, san: string) => {
    ecKey(`${name}.key`);
    openssl(['req', '-new', '-key', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${name}`]);
    writeFileSync(p(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p(`${issuer}.pem`),
      '-CAkey',
      p(`${issuer}.key`),
      '-CAcreateserial',
      '-out',
      p(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      p(`${name}.ext`),
    ]);
  };

  beforeAll(() => {
    ca('ca');
    ca('other-ca');
    leaf('server', 'ca', 'IP:127.0.0.1');
    leaf('client', 'ca', 'DNS:prometheus.example, URI:spiffe://example/prometheus');
    leaf('client-other-san', 'ca', 'DNS:grafana.example');
    leaf('untrusted', 'other-ca', 'DNS:prometheus.example');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Client = 'trusted' | 'untrusted' | 'other-san' | 'none';
  const clientFiles: Record<Exclude<Client, 'none'>, string> = { trusted: 'client', untrusted: 'untrusted', 'other-san': 'client-other-san' };

  /** The production wiring (enforceClientCerts + requireClientCert) around a tiny app. */
  async function serve(tlsYaml: string): Promise<{ port: number; rejected: string[]; served: () => number; close(): Promise<void> }> {
    const cfgPath = p('web.yml');
    writeFileSync(cfgPath, `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n${tlsYaml}`);
    const cfg = loadWebConfig(cfgPath);
    if (!cfg.tls) throw new Error('no TLS');
    const rejected: string[] = [];
    const onReject = (problem: string) => rejected.push(problem);
    const app = express();
    app.use(requireClientCert({ policy: cfg.clientAuth, onReject }));
    let served = 0;
    app.get('/metrics', (req, res) => {
      served++;
      const s = req.socket as TLSSocket;
      res.type('text').send(`${s.getCipher().name}\n`);
    });
    const server = https.createServer(cfg.tls, app);
    enforceClientCerts(server, { policy: cfg.clientAuth, onReject });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      rejected,
      served: () => served,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  /** Status code, or `refused: <code>` when the TLS connection was closed on the client. */
  function get(port: number, client: Client, extra: https.RequestOptions = {}): Promise<string> {
    return new Promise((resolve) => {
      const files = client === 'none' ? {} : { cert: readFileSync(p(`${clientFiles[client]}.pem`)), key: readFileSync(p(`${clientFiles[client]}.key`)) };
      const req = https.get(
        { host: '127.0.0.1', port, path: '/metrics', ca: readFileSync(p('ca.pem')), agent: false, timeout: 5000, ...files, ...extra },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(`${res.statusCode} ${body.trim()}`.trim()));
          res.on('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? e.message}`));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`refused: ${e.code ?? e.message}`));
      req.on('timeout', () => req.destroy(new Error('timeout')));
    });
  }

  const ca_ = 'client_ca_file: ca.pem\n';
  it.each<[string, string, Record<Client, 'ok' | 'refused'>]>([
    ['VerifyClientCertIfGiven', ca_, { trusted: 'ok', untrusted: 'refused', 'other-san': 'ok', none: 'ok' }],
    ['RequireAndVerifyClientCert', ca_, { trusted: 'ok', untrusted: 'refused', 'other-san': 'ok', none: 'refused' }],
    ['RequireAnyClientCert', ca_, { trusted: 'ok', untrusted: 'ok', 'other-san': 'ok', none: 'refused' }],
    ['RequestClientCert', '', { trusted: 'ok', untrusted: 'ok', 'other-san': 'ok', none: 'ok' }],
    ['NoClientCert', '', { trusted: 'ok', untrusted: 'ok', 'other-san': 'ok', none: 'ok' }],
  ])('client_auth_type %s accepts and refuses as Go does', async (type, extraYaml, expected) => {
    const s = await serve(`  client_auth_type: ${type}\n${extraYaml ? `  ${extraYaml}` : ''}`);
    try {
      const got: Record<string, string> = {};
      for (const c of Object.keys(expected) as Client[]) {
        const r = await get(s.port, c);
        got[c] = r.startsWith('200 ') ? 'ok' : r.startsWith('refused') ? 'refused' : r;
      }
      expect(got).toEqual(expected);
      // A refused connection never reaches a route.
      expect(s.served()).toBe(Object.values(expected).filter((v) => v === 'ok').length);
      // Refusals our code makes (not the handshake's own) are reported for the counter.
      if (type === 'VerifyClientCertIfGiven') expect(s.rejected).toEqual([expect.stringMatching(/not trusted/)]);
    } finally {
      await s.close();
    }
  });

  it('client_allowed_sans: a verified certificate must carry one of the listed SANs', async () => {
    const s = await serve(`  client_auth_type: RequireAndVerifyClientCert\n  ${ca_}  client_allowed_sans: ['spiffe://example/prometheus', 'other.example']\n`);
    try {
      expect(await get(s.port, 'trusted')).toMatch(/^200 /);
      expect(await get(s.port, 'other-san')).toMatch(/^refused/);
      expect(await get(s.port, 'untrusted')).toMatch(/^refused/);
      expect(s.rejected).toEqual([expect.stringMatching(/client_allowed_sans/)]);
      expect(s.served()).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('cipher_suites and curve_preferences are applied (Go names mapped to OpenSSL)', async () => {
    const s = await serve('  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  curve_preferences: [CurveP384]\n');
    try {
      // The server honours its own list: the client offers the default ciphers and curves.
      expect(await get(s.port, 'none')).toBe('200 ECDHE-ECDSA-AES256-GCM-SHA384');
      // A client that offers only other suites or curves cannot connect.
      expect(await get(s.port, 'none', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).toMatch(/^refused/);
      expect(await get(s.port, 'none', { ecdhCurve: 'P-256' })).toMatch(/^refused/);
    } finally {
      await s.close();
    }
    // TLS 1.3 keeps working with a TLS 1.2 cipher list, as in Go.
    const s13 = await serve('  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n');
    try {
      expect(await get(s13.port, 'none')).toMatch(/^200 TLS_/);
    } finally {
      await s13.close();
    }
  });

  it.each([
    ['unknown cipher suite', '  cipher_suites: [TLS_RSA_WITH_RC4_128_MD5]\n', /cipher_suites.*TLS_RSA_WITH_RC4_128_MD5/],
    ['unknown curve', '  curve_preferences: [CurveP192]\n', /curve_preferences.*CurveP192/],
    [
      'SANs without a required certificate',
      `  client_auth_type: VerifyClientCertIfGiven\n  ${ca_}  client_allowed_sans: [a.example]\n`,
      /client_allowed_sans.*RequireAndVerifyClientCert/,
    ],
    ['a client CA without client_auth_type', `  ${ca_}`, /client_ca_file/],
    ['min_version above max_version', '  min_version: TLS13\n  max_version: TLS12\n', /min_version/],
  ])('refuses %s with a ConfigError naming the key', (_what, yaml, re) => {
    const cfgPath = p('bad.yml');
    writeFileSync(cfgPath, `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n${yaml}`);
    expect(() => loadWebConfig(cfgPath)).toThrow(ConfigError);
    expect(() => loadWebConfig(cfgPath)).toThrow(re);
  });

  it('reads SANs as Go lists them, quoted values included', () => {
    expect(certSans('DNS:a.example, IP Address:0:0:0:0:0:0:0:1, email:x@y.z, URI:spiffe://t/a, DirName:CN=x')).toEqual([
      'a.example',
      '::1',
      'x@y.z',
      'spiffe://t/a',
    ]);
    expect(certSans('DNS:"a, b", DNS:c')).toEqual(['a, b', 'c']);
    expect(certSans(undefined)).toEqual([]);
  });

  describe('in the exporter', () => {
    let svc: Service;
    beforeAll(async () => {
      writeFileSync(
        p('exporter-web.yml'),
        'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n',
      );
      svc = await startExporter({ cli: { webConfigFile: p('exporter-web.yml'), collectIntervalSeconds: 5 } });
    }, 30_000);
    afterAll(async () => svc?.stop());

    it('refuses the untrusted certificate and counts it in procsight_auth_failures_total', async () => {
      expect(await get(svc.address.port, 'untrusted')).toMatch(/^refused/);
      expect(await get(svc.address.port, 'none')).toMatch(/^200 /);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port: svc.address.port,
              path: '/metrics',
              ca: readFileSync(p('ca.pem')),
              cert: readFileSync(p('client.pem')),
              key: readFileSync(p('client.key')),
              agent: false,
            },
            (res) => {
              let b = '';
              res.on('data', (d: Buffer) => (b += d.toString()));
              res.on('end', () => resolve(b));
            },
          )
          .on('error', reject);
      });
      expect(parseMetrics(body).get('procsight_auth_failures_total{reason="client_cert"}')).toBe(1);
    });
  });
});
