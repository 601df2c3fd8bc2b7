import { ConfigError } from '../../errors';
import type { KubernetesConfig } from './config';

/** Everything needed to follow the pods of this node. */
export interface KubernetesSetup {
  apiUrl: string;
  nodeName: string;
  tokenFile: string;
  caFile: string;
  resyncSeconds: number;
  pendingGraceSeconds: number;
  maxContainersPerGroup: number;
}

/**
 * Whether and how to follow the Kubernetes API (--kubernetes.enabled and the
 * `kubernetes:` section). `auto` is on in a pod: KUBERNETES_SERVICE_HOST set
 * (the kubelet sets it in every container) and the service-account token
 * mounted; without a node name it stays off with a reason. `true` refuses to
 * start without what it needs, naming it.
 */
export function resolveKubernetes(opts: { flag: 'auto' | 'true' | 'false'; config: KubernetesConfig; env: NodeJS.ProcessEnv; exists(path: string): boolean }): {
  setup: KubernetesSetup | null;
  reason: string;
} {
  const { flag, config, env } = opts;
  if (flag === 'false') return { setup: null, reason: '' };
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const apiUrl = config.api_url || (host ? `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT || '443'}` : '');
  const nodeName = config.node_name || env.NODE_NAME || '';
  if (flag === 'auto') {
    if (!host || !opts.exists(config.token_file)) return { setup: null, reason: '' }; // not in a pod: nothing to say
    if (!nodeName) return { setup: null, reason: 'in a pod, but no node name (set NODE_NAME from spec.nodeName, or kubernetes.node_name): pod labels off' };
  } else {
    if (!apiUrl) throw new ConfigError('kubernetes.api_url', 'needed with --kubernetes.enabled=true outside a pod (KUBERNETES_SERVICE_HOST is not set)');
    if (!nodeName) throw new ConfigError('kubernetes.node_name', 'needed with --kubernetes.enabled=true (or NODE_NAME from the downward API)');
    for (const [key, file] of [
      ['kubernetes.token_file', config.token_file],
      ['kubernetes.ca_file', config.ca_file],
    ] as const) {
      if (!opts.exists(file)) throw new ConfigError(key, `${file} does not exist (the pod's service account token is not mounted?)`);
    }
    try {
      const u = new URL(apiUrl);
      if (u.protocol !== 'https:') throw new Error('not https');
    } catch (e) {
      throw new ConfigError('kubernetes.api_url', `invalid https URL ${JSON.stringify(apiUrl)} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return {
    setup: {
      apiUrl,
      nodeName,
      tokenFile: config.token_file,
      caFile: config.ca_file,
      resyncSeconds: config.resync_seconds,
      pendingGraceSeconds: config.pending_grace_seconds,
      maxContainersPerGroup: config.max_containers_per_group,
    },
    reason: '',
  };
}
