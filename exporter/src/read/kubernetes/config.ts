import { z } from 'zod';

/** The `kubernetes:` section: where the API is and how the pods of this node are followed (flag --kubernetes.enabled turns it on). */
export const kubernetesConfigSchema = z
  .object({
    api_url: z.string().default('').describe('API server base URL; empty: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (in a pod)'),
    node_name: z
      .string()
      .default('')
      .describe("This node's name (the pods listed are spec.nodeName=this); empty: $NODE_NAME, which the DaemonSet sets from the downward API"),
    token_file: z
      .string()
      .default('/var/run/secrets/kubernetes.io/serviceaccount/token')
      .describe('Bearer token (re-read at each request: projected tokens rotate)'),
    ca_file: z.string().default('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt').describe("CA that signs the API server's certificate"),
    resync_seconds: z
      .number()
      .int()
      .min(30)
      .max(3600)
      .default(300)
      .describe('Longest watch before it is restarted from the last resourceVersion (the API server ends watches itself after 5-10 minutes)'),
    pending_grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(60)
      .describe(
        'How long a new process whose pod is not yet known is held out of its group while the pod list catches up (only when a grouping rule uses pod, namespace or container); then it is named with what is known',
      ),
    max_containers_per_group: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(8)
      .describe('Most procsight_group_kubernetes_info series per group (distinct namespace/pod/container of its processes)'),
  })
  .strict();

export type KubernetesConfig = z.infer<typeof kubernetesConfigSchema>;
