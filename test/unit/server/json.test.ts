import express from 'express';
import request from 'supertest';
import { sendJsonList } from '../../../exporter/src/server/json';

/** Large API answers are built and serialised in slices, and mean exactly what res.json would send. */
describe('sendJsonList', () => {
  const appWith = (send: (res: express.Response) => Promise<void>) => {
    const app = express();
    app.get('/', async (_req, res) => send(res));
    return app;
  };

  it('sends the same JSON as one JSON.stringify, with <, > and & escaped as express does', async () => {
    const items = [
      { name: '<script>&', n: 1, skip: undefined },
      { name: 'b', n: 2 },
    ];
    const res = await request(appWith((r) => sendJsonList(r, { head: { at: 'now', n: 2 }, key: 'items', items, view: (x) => x }))).get('/');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).not.toMatch(/[<>&]/);
    expect(res.body).toEqual({
      at: 'now',
      n: 2,
      items: [
        { name: '<script>&', n: 1 },
        { name: 'b', n: 2 },
      ],
    });
    const empty = await request(appWith((r) => sendJsonList(r, { key: 'items', items: [], view: (x) => x }))).get('/');
    expect(empty.text).toBe('{"items":[]}');
  });

  it('lets the event loop run while a large answer is built', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ i, path: Array.from({ length: 50 }, (_, k) => ({ t: new Date(k * 1000).toISOString(), v: k })) }));
    let turns = 0;
    let running = true;
    const spin = (): void => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const res = await request(appWith((r) => sendJsonList(r, { key: 'items', items, view: (x) => x }))).get('/');
    running = false;
    expect(res.body.items).toHaveLength(3000);
    expect(turns).toBeGreaterThan(5);
  });
});
