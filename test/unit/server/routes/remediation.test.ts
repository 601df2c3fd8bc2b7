import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import bcrypt from 'bcryptjs';
import { parseConfigText } from '../../../../exporter/src/config/load';
import { createExposition, createRegistry } from '../../../../exporter/src/expose/registry';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import { silentLogger } from '../../../../exporter/src/log/logger';
import { Remediator } from '../../../../exporter/src/remediate/remediator';
import { createApp } from '../../../../exporter/src/server/app';
import { authMiddleware } from '../../../../exporter/src/server/auth';
import type { WebConfig } from '../../../../exporter/src/server/web-config';
import { identity } from '../../../helpers/synthetic';

const TOKEN = 'remediation-token-0123456789';

function setup(opts: { mode?: string; users?: Record<string, string> } = {}) {
  const state: ExporterState = { snapshot: () => null, analysis: () => null, forecasts: () => [], hostInfo: () => null };
  const exposition = createExposition({ ...createRegistry({ version: 't' }), state });
  const executed: string[] = [];
  const remediator =
    opts.mode === 'off'
      ? null
      : new Remediator({
          config: parseConfigText(
            `remediation:\n  mode: ${opts.mode ?? 'approve'}\n  webhook_token_file: /x\n  require_active_bottleneck: false\n  rules:\n    - {group: batch, kind: cpu_saturation, action: renice, nice: 10}\n`,
            { source: 't' },
          ).remediation,
          auditPath: join(mkdtempSync(join(tmpdir(), 'procsight-routes-')), 'audit.jsonl'),
          killSwitchFile: '/nonexistent/stop',
          token: TOKEN,
          procfs: '/proc',
          cgroupfs: '/sys/fs/cgroup',
          selfPid: 1,
          processesOf: () => [{ identity: identity(500, 'batch') }],
          bottleneckActive: () => true,
          logger: silentLogger,
          executorFor: () => ({
            plan: () => Promise.resolve({ ok: true, before: { nice: 0 }, after: { nice: 10 } }),
            execute: () => {
              executed.push('renice');
              return Promise.resolve({ ok: true, after: { nice: 10 }, reason: 'changed' });
            },
          }),
        });
  const webConfig: WebConfig | null = opts.users ? ({ users: opts.users, headers: {}, tls: null } as unknown as WebConfig) : null;
  const auth = authMiddleware({ webConfig, onFailure: () => undefined, logger: silentLogger, bearer: remediator ? (t) => remediator.verifyToken(t) : null });
  const app = createApp({
    state,
    exposition,
    logger: silentLogger,
    version: 't',
    telemetryPath: '/metrics',
    ready: () => true,
    processesOf: () => [],
    remediator,
    before: auth.middleware,
  });
  return { app, remediator, executed, close: () => auth.close() };
}

const notification = (startsAt = '2026-11-24T10:00:00Z') => ({
  version: '4',
  status: 'firing',
  receiver: 'procsight-remediation',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'ProcsightCpuSaturation', group: 'batch', kind: 'cpu_saturation', instance: 'h:1' },
      startsAt,
      fingerprint: 'abc',
    },
  ],
});

describe('remediation routes', () => {
  it('the webhook needs the bearer token: none or a wrong one is 401 and records nothing', async () => {
    const { app, remediator } = setup();
    expect((await request(app).post('/api/v1/alertmanager').send(notification())).status).toBe(401);
    const wrong = await request(app).post('/api/v1/alertmanager').set('authorization', 'Bearer not-the-token-at-all').send(notification());
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid bearer token' });
    expect(remediator?.list()).toEqual([]);
    const ok = await request(app).post('/api/v1/alertmanager').set('authorization', `Bearer ${TOKEN}`).send(notification());
    expect(ok.status).toBe(200);
    expect(ok.body.results).toEqual([expect.objectContaining({ outcome: 'recorded', status: 'pending', group: 'batch' })]);
  });

  it('lists actions and approves, rejects and rolls back with the token or a web-config user, never anonymously', async () => {
    const { app, executed, close } = setup({ users: { ops: bcrypt.hashSync('pw', 4) } });
    const bearer = `Bearer ${TOKEN}`;
    await request(app).post('/api/v1/alertmanager').set('authorization', bearer).send(notification());
    expect((await request(app).get('/api/v1/actions')).status).toBe(401); // the API's basic auth
    const listed = await request(app).get('/api/v1/actions?status=pending').auth('ops', 'pw');
    expect(listed.body).toMatchObject({ mode: 'approve', kill_switch: false, pending: 1 });
    const id = listed.body.actions[0].id as string;
    expect(listed.body.actions[0]).toMatchObject({
      group: 'batch',
      kind: 'cpu_saturation',
      action: 'renice',
      status: 'pending',
      before: { nice: 0 },
      after: { nice: 10 },
      decided_by: null,
    });
    expect((await request(app).post(`/api/v1/actions/${id}/approve`)).status).toBe(401);
    const approved = await request(app).post(`/api/v1/actions/${id}/approve`).auth('ops', 'pw').set('x-grafana-user', 'alice');
    expect(approved.status).toBe(200);
    expect(approved.body.action).toMatchObject({ status: 'done', decided_by: 'web-config user ops (for Grafana user alice)' });
    expect(executed).toEqual(['renice']);
    expect((await request(app).post(`/api/v1/actions/${id}/approve`).set('authorization', bearer)).status).toBe(409);
    expect((await request(app).post(`/api/v1/actions/${id}/rollback`).set('authorization', bearer)).body.error).toBe('renice cannot be rolled back'); // this fake executor has no rollback
    expect((await request(app).post('/api/v1/actions/act-nope/reject').set('authorization', bearer)).status).toBe(404);
    expect((await request(app).post(`/api/v1/actions/${id}/explode`).set('authorization', bearer)).status).toBe(404);
    expect((await request(app).get(`/api/v1/actions/${id}`).set('authorization', bearer)).body.action.status).toBe('done');
    expect((await request(app).get('/api/v1/actions?status=maybe').auth('ops', 'pw')).status).toBe(400);
    await close();
  });

  it('without basic auth configured, reading is open but deciding still needs the token', async () => {
    const { app } = setup();
    await request(app).post('/api/v1/alertmanager').set('authorization', `Bearer ${TOKEN}`).send(notification());
    const listed = await request(app).get('/api/v1/actions');
    expect(listed.status).toBe(200);
    const id = listed.body.actions[0].id as string;
    expect((await request(app).post(`/api/v1/actions/${id}/reject`)).status).toBe(401);
    const rejected = await request(app).post(`/api/v1/actions/${id}/reject`).set('authorization', `Bearer ${TOKEN}`);
    expect(rejected.body.action).toMatchObject({ status: 'refused', reason: 'rejected by bearer token' });
  });

  it('answers 400 to payloads that are not Alertmanager notifications, and 404 with remediation off', async () => {
    const { app } = setup();
    const post = (body: unknown) =>
      request(app)
        .post('/api/v1/alertmanager')
        .set('authorization', `Bearer ${TOKEN}`)
        .send(body as object);
    expect((await post({ version: '3', alerts: [] })).status).toBe(400);
    expect((await post({ ...notification(), alerts: [{ labels: 'x' }] })).status).toBe(400);
    expect(
      (await request(app).post('/api/v1/alertmanager').set('authorization', `Bearer ${TOKEN}`).set('content-type', 'application/json').send('{"version":'))
        .status,
    ).toBe(400);
    const off = setup({ mode: 'off' });
    const r = await request(off.app).post('/api/v1/alertmanager').set('authorization', `Bearer ${TOKEN}`).send(notification());
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/remediation is off/);
    expect((await request(off.app).get('/api/v1/actions')).body).toEqual({ mode: 'off', kill_switch: false, pending: 0, actions: [] });
  });
});
