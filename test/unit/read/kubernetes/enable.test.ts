import { resolveKubernetes } from '../../../../exporter/src/read/kubernetes/enable';
import { kubernetesConfigSchema } from '../../../../exporter/src/read/kubernetes/config';
import { ConfigError } from '../../../../exporter/src/errors';

const config = kubernetesConfigSchema.parse({});
const inPod = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', NODE_NAME: 'node-1' };
const resolve = (flag: 'auto' | 'true' | 'false', env: NodeJS.ProcessEnv, over: Partial<typeof config> = {}, exists = true) =>
  resolveKubernetes({ flag, config: { ...config, ...over }, env, exists: () => exists });

describe('--kubernetes.enabled', () => {
  it('auto: on in a pod with a token and a node name, from the environment the kubelet and the DaemonSet set', () => {
    expect(resolve('auto', inPod).setup).toMatchObject({
      apiUrl: 'https://10.96.0.1:443',
      nodeName: 'node-1',
      tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      pendingGraceSeconds: 60,
    });
    expect(resolve('auto', { ...inPod, KUBERNETES_SERVICE_HOST: 'fd00::1' }).setup?.apiUrl).toBe('https://[fd00::1]:443');
    expect(resolve('auto', {})).toEqual({ setup: null, reason: '' });
    expect(resolve('auto', inPod, {}, false)).toEqual({ setup: null, reason: '' }); // no token mounted
    expect(resolve('auto', { ...inPod, NODE_NAME: '' }).reason).toMatch(/no node name/);
    expect(resolve('auto', { ...inPod, NODE_NAME: '' }, { node_name: 'n2' }).setup?.nodeName).toBe('n2');
  });

  it('false: off whatever the environment', () => {
    expect(resolve('false', inPod).setup).toBeNull();
  });

  it('true: refuses to start without what it needs, naming the key', () => {
    expect(() => resolve('true', {})).toThrow(ConfigError);
    expect(() => resolve('true', {})).toThrow(/kubernetes\.api_url/);
    expect(() => resolve('true', { KUBERNETES_SERVICE_HOST: 'x' })).toThrow(/kubernetes\.node_name/);
    expect(() => resolve('true', inPod, {}, false)).toThrow(/kubernetes\.token_file/);
    expect(() => resolve('true', inPod, { api_url: 'http://insecure:8080' })).toThrow(/kubernetes\.api_url.*https/);
    expect(resolve('true', {}, { api_url: 'https://127.0.0.1:6443', node_name: 'n' }).setup?.apiUrl).toBe('https://127.0.0.1:6443');
  });
});
