import { getBackendSrv } from '@grafana/runtime';
import { FEEDBACK_TAG } from '../constants';

export type FeedbackKind = 'helpful' | 'not_helpful' | 'applied';

export interface FeedbackAnnotation {
  id?: number;
  time: number;
  tags: string[];
  text: string;
}

/**
 * Operator feedback is stored in Grafana itself as annotations (HTTP API
 * POST /api/annotations) tagged `procsight`, `feedback:<kind>`,
 * `action:<id>`, `group:<group>`, `instance:<instance>`, so it also shows on
 * time-series panels.
 */
export async function postFeedback(f: {
  kind: FeedbackKind;
  action: string;
  bottleneck: string;
  group: string;
  instance: string;
  title: string;
}): Promise<void> {
  await getBackendSrv().post('/api/annotations', {
    time: Date.now(),
    tags: [
      FEEDBACK_TAG,
      `feedback:${f.kind}`,
      `action:${f.action}`,
      `kind:${f.bottleneck}`,
      `group:${f.group}`,
      `instance:${f.instance}`,
    ],
    text: `procsight feedback: ${f.kind.replace('_', ' ')} — ${f.title} (${f.group} on ${f.instance})`,
  });
}

/** All procsight feedback annotations (GET /api/annotations?tags=procsight). */
export async function listFeedback(limit = 1000): Promise<FeedbackAnnotation[]> {
  const r = await getBackendSrv().get<FeedbackAnnotation[]>('/api/annotations', {
    tags: FEEDBACK_TAG,
    limit,
    type: 'annotation',
  });
  return Array.isArray(r) ? r : [];
}
