import express from 'express';
import request from 'supertest';
import { createCorrelationsRouter } from '../../../../exporter/src/server/routes/correlations';
import type { CorrelationReport } from '../../../../exporter/src/analyse/correlate/hints';
import { RequestError } from '../../../../exporter/src/errors';

const report: CorrelationReport = {
  group: 'db',
  signal: 'io_write',
  bottleneck: 'io_bound',
  hints: [{ source: 'group', group: 'backup', signal: 'io_write', strength: 0.91, lagSeconds: 15, pairs: 230 }],
};

function app(ready: boolean) {
  const asked: unknown[] = [];
  const a = express();
  a.use('/api/v1', createCorrelationsRouter({ correlations: (q) => (asked.push(q), ready ? report : null), knownGroups: () => ['db', 'backup'] }));
  a.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(err instanceof RequestError ? err.status : 500).json({ error: err instanceof Error ? err.message : 'internal error' });
  });
  return { a, asked };
}

describe('GET /api/v1/correlations', () => {
  it('answers the hints of a group with the signal compared, lag and strength', async () => {
    const { a, asked } = app(true);
    const res = await request(a).get('/api/v1/correlations?group=db&limit=5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      group: 'db',
      signal: 'io_write',
      bottleneck: 'io_bound',
      window_seconds: 3600,
      correlations: [{ source: 'group', group: 'backup', signal: 'io_write', strength: 0.91, lag_seconds: 15, pairs: 230 }],
    });
    expect(asked).toEqual([{ group: 'db', limit: 5 }]);
    await request(a).get('/api/v1/correlations?group=db&signal=cpu');
    expect(asked[1]).toEqual({ group: 'db', signal: 'cpu', limit: 10 });
  });

  it('needs a known group and valid parameters; 503 before the first analysis', async () => {
    const { a } = app(true);
    expect((await request(a).get('/api/v1/correlations')).status).toBe(400);
    expect((await request(a).get('/api/v1/correlations?group=db&signal=disk')).status).toBe(400);
    expect((await request(a).get('/api/v1/correlations?group=db&limit=0')).status).toBe(400);
    expect((await request(a).get('/api/v1/correlations?group=ghost')).status).toBe(404);
    expect((await request(app(false).a).get('/api/v1/correlations?group=db')).status).toBe(503);
  });
});
