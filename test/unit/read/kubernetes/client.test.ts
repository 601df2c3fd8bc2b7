import { KubernetesPodSource, type KubernetesErrorReason } from '../../../../exporter/src/read/kubernetes/client';
import { PodIndex } from '../../../../exporter/src/read/kubernetes/pods';
import { silentLogger } from '../../../../exporter/src/log/logger';
import { KubeStandIn, makeCredentials } from '../../../helpers/kube-stand-in';

/** Polls `check` every 20 ms for up to 5 s. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('following the pods of a node against an HTTPS stand-in of the API server (self-signed CA, loopback)', () => {
  const creds = makeCredentials();
  let api: KubeStandIn;
  let source: KubernetesPodSource | undefined;
  const errors: KubernetesErrorReason[] = [];
  let index: PodIndex;

  beforeEach(async () => {
    api = new KubeStandIn(creds);
    await api.start();
    index = new PodIndex();
    errors.length = 0;
  });
  afterEach(async () => {
    await source?.stop();
    await api.stop();
  });
  afterAll(() => creds.cleanup());

  const start = async (over: { tokenFile?: string; caFile?: string } = {}) => {
    source = new KubernetesPodSource({
      apiUrl: api.url,
      nodeName: 'node-1',
      tokenFile: over.tokenFile ?? creds.tokenFile,
      caFile: over.caFile ?? creds.caFile,
      resyncSeconds: 60,
      index,
      logger: silentLogger,
      onError: (r) => errors.push(r),
      retryMs: [20, 100],
      pageSize: 2,
    });
    await source.start();
  };

  it("lists the node's pods page by page with the token and field selector, then watches from the list's version", async () => {
    await start();
    expect(index.synced).toBe(true);
    expect(index.size).toBe(5);
    const lists = api.requests.filter((r) => r.query.get('watch') !== '1');
    expect(lists.map((r) => r.query.get('continue'))).toEqual([null, '2', '4']);
    expect(lists.every((r) => r.authorization === `Bearer ${creds.token}` && r.query.get('fieldSelector') === 'spec.nodeName=node-1')).toBe(true);
    await until(() => api.watching === 1, 'the watch');
    const watch = api.requests.find((r) => r.query.get('watch') === '1')!;
    expect(Object.fromEntries(watch.query)).toMatchObject({ resourceVersion: '48260', allowWatchBookmarks: 'true', timeoutSeconds: '60' });

    // The recorded events, pushed down the open watch.
    for (const line of KubeStandIn.recordedEvents()) api.push(line);
    await until(() => !index.has('4eede96e-e976-4573-bc90-68dfe2516d3b'), 'the DELETED event');
    expect(index.lookup('0125ec2f-b64a-4868-8f5b-94b56cbab864', 'ee4b20e90ac7f42a10bd004d05646b13d8ab5e2c5e7cbc01abf8006bac016459')).toEqual({
      namespace: 'batch',
      pod: 'report-28934-q7f4l',
      container: 'report',
    });

    // The server ends the watch (its timeout): a new one resumes from the last version seen, without a list.
    const listsBefore = api.requests.filter((r) => r.query.get('watch') !== '1').length;
    api.endWatches();
    await until(() => api.watching === 1, 'the second watch');
    expect(
      api.requests
        .filter((r) => r.query.get('watch') === '1')
        .at(-1)!
        .query.get('resourceVersion'),
    ).toBe('48290');
    expect(api.requests.filter((r) => r.query.get('watch') !== '1').length).toBe(listsBefore);
    expect(errors).toEqual([]);
  });

  it('relists when the version has expired (410 Gone), without counting an error', async () => {
    await start();
    await until(() => api.watching === 1, 'the watch');
    api.pods = api.pods.slice(0, 2);
    api.resourceVersion = '50000';
    api.push(
      '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 48260 (49000)","reason":"Expired","code":410}}',
    );
    await until(() => index.size === 2, 'the relist');
    await until(() => api.watching === 1, 'the new watch');
    expect(
      api.requests
        .filter((r) => r.query.get('watch') === '1')
        .at(-1)!
        .query.get('resourceVersion'),
    ).toBe('50000');
    expect(errors).toEqual([]);
  });

  it('counts failed lists and undecodable answers, keeps what it had, and retries', async () => {
    await start();
    await until(() => api.watching === 1, 'the watch');
    api.failNextList = 500;
    api.push('{"type":"ERROR","object":{"code":410}}'); // forces a relist, which fails once
    await until(() => errors.includes('list'), 'the failed list');
    expect(index.size).toBe(5); // the pods it knew stay
    api.garbageNextList = '<html>proxy error</html>';
    api.push('{"type":"ERROR","object":{"code":410}}');
    await until(() => errors.includes('decode'), 'the undecodable list');
    await until(() => api.watching === 1, 'recovery');
    api.push('not json');
    await until(() => errors.filter((e) => e === 'decode').length === 2, 'the undecodable event');
    await until(() => api.watching === 1, 'recovery after the bad event');
    expect(index.size).toBe(5);
  });

  it('counts a refused token, or a server its CA did not sign, as a failed list, and does not hang the start', async () => {
    const wrong = makeCredentials();
    try {
      await start({ tokenFile: wrong.tokenFile });
      expect(errors[0]).toBe('list');
      expect(index.synced).toBe(false);
      await source!.stop();
      expect(api.requests.filter((r) => r.authorization === `Bearer ${creds.token}`)).toEqual([]);
      errors.length = 0;
      const before = api.requests.length;
      await start({ caFile: wrong.caFile });
      expect(errors[0]).toBe('list');
      expect(api.requests.length).toBe(before); // refused at the TLS handshake: the token was never sent
    } finally {
      wrong.cleanup();
    }
  });
});
