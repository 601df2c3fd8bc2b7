import express from 'express';
import request from 'supertest';
import { createAnalysisRouter } from '../../../../exporter/src/server/routes/analysis';
import { RequestError } from '../../../../exporter/src/errors';
import type { AnalysisResult } from '../../../../exporter/src/analyse/types';
import { analysisResult } from '../../../helpers/synthetic';
import { ANOMALY_THRESHOLD } from '@procsight/contract';

const result = analysisResult();

function app(current: AnalysisResult | null) {
  const a = express();
  a.use('/api/v1', createAnalysisRouter({ current: () => current, knownGroups: () => ['api', 'db', 'idle'] }));
  a.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (err instanceof RequestError) res.status(err.status).json({ error: err.message });
    else res.status(500).json({ error: 'internal error' });
  });
  return a;
}

describe('analysis API', () => {
  it('ranks bottlenecks by severity with evidence and suggestions', async () => {
    const res = await request(app(result)).get('/api/v1/bottlenecks');
    expect(res.status).toBe(200);
    expect(res.body.bottlenecks.map((b: { group: string }) => b.group)).toEqual(['api', 'db']);
    const leak = res.body.bottlenecks[0];
    expect(leak).toMatchObject({ kind: 'memory_leak', severity: 0.8, confidence: 0.95, since: '2026-11-22T00:00:00.000Z' });
    expect(leak.evidence[0].text).toBe('RSS grows 3.0 MiB/min');
    expect(leak.suggestions[0]).toMatchObject({ action: 'memory_leak.heap_dump', title: expect.any(String), expected_effect: expect.any(String) });
    expect(leak.suggestions[0].rationale).toContain('RSS grows 3.0 MiB/min');
  });

  it('filters and validates', async () => {
    const a = app(result);
    expect((await request(a).get('/api/v1/bottlenecks?kind=io_bound')).body.bottlenecks).toHaveLength(1);
    expect((await request(a).get('/api/v1/bottlenecks?min_severity=0.7')).body.bottlenecks).toHaveLength(1);
    expect((await request(a).get('/api/v1/bottlenecks?group=idle')).body.bottlenecks).toHaveLength(0);
    const unknownGroup = await request(a).get('/api/v1/bottlenecks?group=ghost');
    expect(unknownGroup.status).toBe(404);
    expect(unknownGroup.body.error).toMatch(/unknown group "ghost"/);
    const badKind = await request(a).get('/api/v1/suggestions?kind=slowness');
    expect(badKind.status).toBe(400);
    expect(badKind.body.error).toMatch(/kind/);
    expect((await request(a).get('/api/v1/anomalies?min_score=2')).status).toBe(400);
    expect((await request(a).get('/api/v1/anomalies?signal=vibes')).status).toBe(400);
    expect((await request(a).get('/api/v1/profiles?x=1')).status).toBe(400);
  });

  it('lists anomalies with their state, learned normal, z and band; suggestions, profiles and workload patterns', async () => {
    const a = app(result);
    const all = (await request(a).get('/api/v1/anomalies')).body;
    expect(all.threshold).toBe(ANOMALY_THRESHOLD);
    // Highest first; a series still learning has no score and comes last.
    expect(all.anomalies).toEqual([
      { group: 'api', signal: 'memory', score: 0.97, state: 'scoring', anomalous: true, baseline: 1.2e8, z: 9.1, band: { lower: 1.1e8, upper: 1.3e8 } },
      { group: 'db', signal: 'cpu', score: 0.2, state: 'scoring', anomalous: false, baseline: 0.31, z: 0.4 },
      { group: 'db', signal: 'memory', score: null, state: 'learning', anomalous: false },
    ]);
    expect((await request(a).get('/api/v1/anomalies?min_score=0.9')).body.anomalies.map((x: { group: string }) => x.group)).toEqual(['api']);
    // anomalous: score at or above the contract's threshold; the filter keeps one side.
    expect((await request(a).get('/api/v1/anomalies?anomalous=false')).body.anomalies.map((x: { signal: string }) => x.signal)).toEqual(['cpu', 'memory']);
    expect((await request(a).get('/api/v1/anomalies?state=learning')).body.anomalies).toHaveLength(1);
    expect((await request(a).get('/api/v1/anomalies?anomalous=yes')).status).toBe(400);
    expect((await request(a).get('/api/v1/anomalies?state=warming')).status).toBe(400);
    const s = (await request(a).get('/api/v1/suggestions?group=api')).body.suggestions;
    expect(s[0]).toMatchObject({ group: 'api', kind: 'memory_leak', action: 'memory_leak.heap_dump' });
    expect((await request(a).get('/api/v1/profiles')).body.points[0].group).toBe('api');
    expect((await request(a).get('/api/v1/patterns')).body).toEqual({ patterns: [{ group: 'db', daily: 0.82, weekly: null, peak_hours_utc: [9, 10, 11] }] });
    expect((await request(a).get('/api/v1/patterns?group=api')).body).toEqual({ patterns: [] });
    expect((await request(a).get('/api/v1/patterns?group=ghost')).status).toBe(404);
  });

  it('answers 503 before the first analysis', async () => {
    const res = await request(app(null)).get('/api/v1/bottlenecks');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/no analysis yet/);
  });

  it('answers 503, not 404, for a group asked about before the first analysis', async () => {
    const a = express();
    a.use('/api/v1', createAnalysisRouter({ current: () => null, knownGroups: () => [] }));
    a.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err instanceof RequestError ? err.status : 500).json({ error: err instanceof Error ? err.message : 'internal error' });
    });
    for (const path of ['/api/v1/bottlenecks?group=api', '/api/v1/anomalies?group=api', '/api/v1/suggestions?group=api', '/api/v1/patterns?group=api']) {
      const res = await request(a).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
    }
  });
});
