import { FrontBodies } from '../../../../exporter/src/server/front/bodies';

const r = (tag: string) => ({ text: `${tag} text`, openmetrics: `${tag} om\n# EOF\n` });

function bodies(freshWaitMs = 50) {
  const asked = { parts: 0, self: [] as number[] };
  const b = new FrontBodies({ freshWaitMs, askParts: () => asked.parts++, askSelf: (id) => asked.self.push(id) });
  return { b, asked };
}

describe("FrontBodies (the HTTP front's copy of the exposition)", () => {
  it('waits for every part before the first scrape, asking once per waiting scrape', async () => {
    const { b, asked } = bodies();
    let done = false;
    const parts = b.latestParts().then((p) => ((done = true), p));
    await new Promise((res) => setImmediate(res));
    expect(asked.parts).toBe(1);
    b.setPart(1, 2, r('analysis'));
    await new Promise((res) => setImmediate(res));
    expect(done).toBe(false);
    b.setPart(0, 2, r('collection'));
    expect((await parts).map((p) => p.text)).toEqual(['collection text', 'analysis text']);
  });

  it('serves pushed renderings without asking, and a new part count starts over', async () => {
    const { b, asked } = bodies();
    b.setPart(0, 1, r('a'));
    expect((await b.latestParts()).map((p) => p.text)).toEqual(['a text']);
    b.setPart(0, 2, r('b'));
    let done = false;
    void b.latestParts().then(() => (done = true));
    await new Promise((res) => setImmediate(res));
    expect(done).toBe(false);
    expect(asked.parts).toBe(1);
  });

  it('takes pushed self-metrics as they are, without asking the main thread', async () => {
    const { b, asked } = bodies();
    b.setSelf(null, r('self1'));
    expect((await b.latestSelf()).text).toBe('self1 text');
    expect(asked.self).toEqual([]);
  });

  it('after markStale asks for fresh self-metrics and uses the answer', async () => {
    const { b, asked } = bodies(1000);
    b.setSelf(null, r('old'));
    b.markStale();
    const got = b.latestSelf();
    expect(asked.self).toHaveLength(1);
    b.setSelf(asked.self[0], r('fresh'));
    expect((await got).text).toBe('fresh text');
    // Fresh again: the next scrape does not ask.
    expect((await b.latestSelf()).text).toBe('fresh text');
    expect(asked.self).toHaveLength(1);
  });

  it('after markStale falls back to the last self-metrics when the main thread does not answer in time', async () => {
    const { b, asked } = bodies(20);
    b.setSelf(null, r('old'));
    b.markStale();
    const t = Date.now();
    expect((await b.latestSelf()).text).toBe('old text');
    expect(Date.now() - t).toBeLessThan(500);
    // A late answer is still kept as the latest.
    b.setSelf(asked.self[0], r('late'));
    expect((await b.latestSelf()).text).toBe('late text');
  });

  it('waits for the very first self-metrics however long they take', async () => {
    const { b, asked } = bodies(1);
    const got = b.latestSelf();
    await new Promise((res) => setTimeout(res, 20));
    b.setSelf(asked.self[0], r('first'));
    expect((await got).text).toBe('first text');
  });
});
