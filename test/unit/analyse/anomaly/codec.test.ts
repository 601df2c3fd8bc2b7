import { packDetector, unpackDetector } from '../../../../exporter/src/analyse/anomaly/codec';
import { StreamDetector } from '../../../../exporter/src/analyse/anomaly/stream';
import { CheckpointError } from '../../../../exporter/src/errors';

describe('detector checkpoint codec', () => {
  const feed = (d: StreamDetector, from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = from; i < to; i++) out.push(d.update(Date.UTC(2026, 0, 5) + i * 15_000, 0.4 + 0.1 * Math.sin(i / 7) + (i > 3000 ? 0.5 : 0)) ?? NaN);
    return out;
  };

  it('packs the large arrays to well under the JSON size, and the restored detector scores as the saved one', () => {
    const d = new StreamDetector({ minScale: 0.02 });
    feed(d, 0, 2800);
    const json = d.toJSON();
    const packed = packDetector(json);
    expect(JSON.stringify(packed).length).toBeLessThan(0.7 * JSON.stringify(json).length);
    const restored = StreamDetector.fromJSON(unpackDetector(JSON.parse(JSON.stringify(packed)), 'cpu'), { minScale: 0.02 });
    const a = feed(d, 2800, 3400);
    const b = feed(restored, 2800, 3400);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i], 5);
  });

  it('rejects a malformed pack as a CheckpointError', () => {
    const d = new StreamDetector();
    feed(d, 0, 100);
    const packed = packDetector(d.toJSON()) as { baseline: { x: string } };
    packed.baseline.x = 'abc';
    expect(() => unpackDetector(packed, 'cpu')).toThrow(CheckpointError);
  });
});
