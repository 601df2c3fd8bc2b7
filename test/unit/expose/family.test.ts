import { Registry, type Metric } from 'prom-client';
import { familyDataOf, registerFamilies, type ExporterState, type Family } from '../../../exporter/src/expose/family';

const state: ExporterState = { snapshot: () => null, analysis: () => null, forecasts: () => [], hostInfo: () => null };

function registered(families: Family[]): Array<Metric<string>> {
  const registry = new Registry();
  registerFamilies([registry], families, state);
  return registry.getMetricsAsArray() as unknown as Array<Metric<string>>;
}

describe('expose/family', () => {
  const gauge: Family = {
    name: 'procsight_test_gauge',
    help: 'A gauge.',
    type: 'gauge',
    labelNames: ['group', 'signal'],
    *samples() {
      yield [{ group: 'a', signal: 'cpu' }, 1];
      yield [{ group: 'b', signal: 'cpu' }, NaN];
      yield [{ group: 'c', signal: 'cpu' }, 3];
      yield [{ group: 'a', signal: 'cpu' }, 2];
    },
  };
  const counter: Family = {
    name: 'procsight_test_total',
    help: 'A counter.',
    type: 'counter',
    labelNames: ['group'],
    *samples() {
      yield [{ group: 'a' }, 1];
      yield [{ group: 'b' }, -1];
      yield [{ group: 'a' }, 2.5];
      yield [{ group: 'c' }, Infinity];
    },
  };

  it('gives the same values, in the same order, as a collect of the prom-client metric', async () => {
    for (const metric of registered([gauge, counter])) {
      const direct = familyDataOf(metric)!;
      const viaPromClient = (await metric.get()) as unknown as { values: Array<{ labels: object; value: number }> };
      expect(direct.values.map((v) => [v.labels, v.value])).toEqual(viaPromClient.values.map((v) => [v.labels, v.value]));
    }
  });

  it('drops non-finite values and negative counts; merges duplicates: a gauge keeps the last, a counter sums', () => {
    const [g, c] = registered([gauge, counter]);
    expect(familyDataOf(g)!.values.map((v) => [v.labelText, v.value])).toEqual([
      ['{group="a",signal="cpu"}', 2],
      ['{group="c",signal="cpu"}', 3],
    ]);
    expect(familyDataOf(c)!.values.map((v) => [v.labelText, v.value])).toEqual([['{group="a"}', 3.5]]);
  });

  it("takes a sample's label set as the family gives it, rendered, instead of rendering it again", () => {
    const kept: Family = {
      name: 'procsight_test_kept',
      help: 'A gauge that keeps its label sets.',
      type: 'gauge',
      labelNames: ['group'],
      *samples() {
        yield [{ group: 'a' }, 1, '{group="a"}'];
        yield [{ group: 'b' }, 2, '{group="kept"}'];
      },
    };
    const [k] = registered([kept]);
    expect(familyDataOf(k)!.values.map((v) => v.labelText)).toEqual(['{group="a"}', '{group="kept"}']);
  });

  it('has no data for metrics it did not register', () => {
    expect(familyDataOf({})).toBeNull();
  });
});
