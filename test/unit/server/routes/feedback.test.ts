import express from 'express';
import request from 'supertest';
import { CATALOG } from '@procsight/contract';
import { Analyzer } from '../../../../exporter/src/analyse/analyzer';
import { OutcomeTracker } from '../../../../exporter/src/analyse/feedback/outcomes';
import { FeedbackService } from '../../../../exporter/src/analyse/feedback/service';
import { parseConfigText } from '../../../../exporter/src/config/load';
import { RequestError } from '../../../../exporter/src/errors';
import { createFeedbackRouter } from '../../../../exporter/src/server/routes/feedback';
import { analysisResult } from '../../../helpers/synthetic';

function app(perMinute?: number) {
  const config = parseConfigText('', { source: 'test' });
  const analyzer = new Analyzer({ anomaly: config.anomaly, bottlenecks: config.bottlenecks, contention: config.contention });
  const feedback = new FeedbackService({
    analyzer: { recordFeedback: (a, k) => analyzer.recordFeedback(a, k), feedbackCounts: () => analyzer.feedbackCounts(), current: () => analysisResult() },
    tracker: new OutcomeTracker(),
    catalog: CATALOG,
  });
  const a = express();
  a.use('/api/v1', createFeedbackRouter({ feedback, perMinute }));
  a.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err instanceof RequestError ? err.status : typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    res.status(status).json({ error: err instanceof Error ? err.message : 'x' });
  });
  return { a, analyzer };
}

describe('POST /api/v1/feedback', () => {
  it("records a verdict in the ranking's counts, and starts measuring an applied action", async () => {
    const { a, analyzer } = app();
    const res = await request(a).post('/api/v1/feedback').send({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      recorded: { group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' },
      counts: { helpful: 0, not_helpful: 0, applied: 1, resolved: 0, persisted: 0 },
      measurement: { watching: true, severity_before: 0.8 },
    });
    expect(analyzer.feedbackCounts()['memory_leak.heap_dump'].applied).toBe(1);
    const listed = await request(a).get('/api/v1/feedback');
    expect(listed.body.actions).toEqual([
      expect.objectContaining({ kind: 'memory_leak', action: 'memory_leak.heap_dump', catalog_prior: 0.9, learned_prior: 0.9, applied: 1, success_rate: null }),
    ]);
    expect(listed.body.watching).toEqual([
      { group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', applied_at: expect.any(String), severity_before: 0.8 },
    ]);
    expect((await request(a).get('/api/v1/feedback?x=1')).status).toBe(400);
  });

  it('refuses what is not a verdict on a catalog action of that kind, naming the key', async () => {
    const { a, analyzer } = app();
    const post = (body: unknown) =>
      request(a)
        .post('/api/v1/feedback')
        .send(body as object);
    expect((await post({ group: 'api', kind: 'memory_leak', action: 'io_bound.ionice', verdict: 'helpful' })).body.error).toBe(
      'action: "io_bound.ionice" is not a catalog action of memory_leak',
    );
    expect((await post({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'meh' })).body.error).toMatch(/^verdict:/);
    expect((await post({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'helpful', extra: 1 })).body.error).toMatch(
      /unknown parameter\(s\): extra/,
    );
    expect((await post({ kind: 'memory_leak' })).status).toBe(400);
    expect((await request(a).post('/api/v1/feedback').set('content-type', 'application/json').send('{nope')).status).toBe(400);
    expect((await request(a).post('/api/v1/feedback').send('x'.repeat(10_000))).status).toBe(400); // not JSON: no body to read
    expect(
      (
        await request(a)
          .post('/api/v1/feedback')
          .set('content-type', 'application/json')
          .send(JSON.stringify({ group: 'x'.repeat(10_000) }))
      ).status,
    ).toBe(413);
    expect(analyzer.feedbackCounts()).toEqual({});
  });

  it('is rate limited per client', async () => {
    const { a } = app(3);
    const body = { group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'helpful' };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(a).post('/api/v1/feedback').send(body)).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});
