import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigsIsolated } from '../../../exporter/src/config/isolated';
import { defaultConfig } from '../../../exporter/src/config/defaults';
import { loadConfig } from '../../../exporter/src/config/load';
import { ConfigError } from '../../../exporter/src/errors';
import { loadWebConfig } from '../../../exporter/src/server/web-config';

describe('configs validated in a worker thread that ends once it has answered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-isolated-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('gives the embedded defaults, and no web config, for no files', async () => {
    await expect(loadConfigsIsolated({ configFile: null, webConfigFile: null })).resolves.toEqual({ config: defaultConfig(), webConfig: null });
  });

  it('gives what loading the files in place gives', async () => {
    const configFile = file('ok.yml', 'groups:\n  - name: db\n    comm: [postgres]\nforecast:\n  horizons: [1h, 7d]\n');
    const webConfigFile = file('web.yml', 'http_server_config:\n  headers:\n    X-Test: isolated\n');
    const loaded = await loadConfigsIsolated({ configFile, webConfigFile });
    expect(loaded).toEqual({ config: loadConfig(configFile), webConfig: loadWebConfig(webConfigFile) });
    expect(loaded.config.forecast.horizons).toEqual(['1h', '7d']);
  });

  it.each([
    ['a bad key', 'groups:\n  - name: web\n    comm: nginx\n', null],
    ['bad YAML', 'groups: [\n', null],
    ['a bad web config', '', 'tls_server_config:\n  cert_file: /nonexistent.pem\n'],
  ])('rejects %s with the ConfigError, key and message of loading in place', async (_what, configText, webText) => {
    const configFile = file('c.yml', configText);
    const webConfigFile = webText === null ? null : file('w.yml', webText);
    const inPlace = ((): ConfigError => {
      try {
        loadConfig(configFile);
        if (webConfigFile) loadWebConfig(webConfigFile);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected the files to be refused');
    })();
    expect(inPlace).toBeInstanceOf(ConfigError);
    const refused = await loadConfigsIsolated({ configFile, webConfigFile }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused).toMatchObject({ key: inPlace.key, message: inPlace.message });
  });

  it('rejects a file it cannot read, naming the flag', async () => {
    await expect(loadConfigsIsolated({ configFile: join(dir, 'missing.yml'), webConfigFile: null })).rejects.toMatchObject({
      key: '--config.file',
      message: expect.stringMatching(/^--config\.file: cannot read .*ENOENT/),
    });
  });
});
