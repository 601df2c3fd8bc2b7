import express from 'express';
import request from 'supertest';
import { gunzipSync } from 'node:zlib';
import { rawGet } from '../../helpers/raw-http';
import { gzipResponses } from '../../../exporter/src/server/gzip';

function app() {
  const a = express();
  a.use(gzipResponses({ minBytes: 100 }));
  a.get('/big', (_req, res) => void res.json({ rows: Array.from({ length: 200 }, (_, i) => ({ group: `g${i}`, cpu: i })) }));
  a.get('/small', (_req, res) => void res.json({ ok: true }));
  a.get('/html', (_req, res) => void res.send('<p>'.repeat(100)));
  return a;
}

describe('gzip of API responses', () => {
  it('compresses a large JSON body when the client accepts gzip, and says so', async () => {
    const r = await rawGet(app(), '/big', { 'Accept-Encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers.vary).toMatch(/Accept-Encoding/);
    const json = JSON.parse(gunzipSync(r.body).toString('utf8')) as { rows: unknown[] };
    expect(json.rows).toHaveLength(200);
  });

  it('sends identity to a client that does not accept gzip, or refuses it by q=0, and for small bodies', async () => {
    for (const enc of ['identity', 'gzip;q=0, identity', 'br']) {
      const r = await request(app()).get('/big').set('Accept-Encoding', enc);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.body.rows).toHaveLength(200);
    }
    const small = await request(app()).get('/small').set('Accept-Encoding', 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toEqual({ ok: true });
  });

  it('keeps the content type express gives a string body', async () => {
    const r = await request(app()).get('/html').set('Accept-Encoding', 'gzip');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toBe('<p>'.repeat(100));
  });
});
