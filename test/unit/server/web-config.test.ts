import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { loadWebConfig } from '../../../exporter/src/server/web-config';
import { ConfigError } from '../../../exporter/src/errors';

describe('--web.config.file (exporter-toolkit format)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-webcfg-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
      {
        stdio: 'ignore',
      },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('loads TLS files relative to the config file and bcrypt users', () => {
    const hash = bcrypt.hashSync('s3cret', 4).replace(/^\$2[ab]\$/, '$2y$');
    const c = loadWebConfig(write('ok.yml', `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  prom: ${hash}\n`));
    expect(c.tls?.cert?.toString()).toContain('BEGIN CERTIFICATE');
    expect(c.tls?.minVersion).toBe('TLSv1.2');
    expect(c.users.prom).toBe(hash);
  });

  it.each([
    ['unknown key', 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  colour: red\n', /tls_server_config.*colour/],
    ['missing key file', 'tls_server_config:\n  cert_file: cert.pem\n', /key_file/],
    ['unreadable cert', 'tls_server_config:\n  cert_file: nope.pem\n  key_file: key.pem\n', /cert_file.*nope\.pem/],
    ['plain-text password', 'basic_auth_users:\n  prom: hunter2\n', /basic_auth_users\.prom.*bcrypt/],
    ['bad TLS version', 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: SSL3\n', /min_version/],
    ['verify without CA', 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n', /client_ca_file/],
  ])('rejects %s with a message naming the key', (_what, text, re) => {
    const p = write('bad.yml', text);
    expect(() => loadWebConfig(p)).toThrow(ConfigError);
    expect(() => loadWebConfig(p)).toThrow(re);
  });
});
