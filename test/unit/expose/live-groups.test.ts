import { liveGroupsView, restrictAnalysis } from '../../../exporter/src/expose/live-groups';
import type { Forecast } from '../../../exporter/src/analyse/forecast/types';
import type { CollectionSnapshot } from '../../../exporter/src/pipeline/types';
import { analysisResult, collectionSnapshot, groupSnapshot, hostSnapshot } from '../../helpers/synthetic';

const forecast = (group: string): Forecast => ({
  group,
  resource: 'cpu',
  model: 'naive',
  fittedAtMs: 0,
  level: 0.8,
  horizons: {},
  path: [],
  exhaustion: [],
  accuracy: {},
});

describe('liveGroupsView', () => {
  it('drops the analysis and forecasts of a group the latest collection no longer has, keeping the host', () => {
    let snapshot: CollectionSnapshot = collectionSnapshot([groupSnapshot('api'), groupSnapshot('db')], {
      timestampMs: 0,
      intervalSeconds: 5,
      host: hostSnapshot(),
    });
    const analysis = analysisResult();
    const forecasts = [forecast('api'), forecast('db'), forecast('_host')];
    const view = liveGroupsView({ snapshot: () => snapshot, analysis: () => analysis, forecasts: () => forecasts });
    expect(view.analysis()).toBe(analysis); // nothing to drop: the same object
    expect(view.forecasts()).toBe(forecasts);

    snapshot = collectionSnapshot([groupSnapshot('db')], { timestampMs: 5000, intervalSeconds: 5, host: hostSnapshot() });
    const a = view.analysis();
    expect(a?.anomalies.map((x) => x.group)).toEqual(['db', 'db']);
    expect(a?.bands).toEqual([]); // api's memory band
    expect(a?.patterns.map((x) => x.group)).toEqual(['db']);
    expect(a?.bottlenecks.map((x) => x.group)).toEqual(['db']);
    expect(a?.profiles.points).toEqual([]);
    expect(view.forecasts().map((f) => f.group)).toEqual(['db', '_host']);
    // Computed once per (analysis, snapshot): the next scrape gets the same objects.
    expect(view.analysis()).toBe(a);
    expect(view.forecasts()).toBe(view.forecasts());
  });

  it('passes everything through before the first collection', () => {
    const analysis = analysisResult();
    const view = liveGroupsView({ snapshot: () => null, analysis: () => analysis, forecasts: () => [forecast('gone')] });
    expect(view.analysis()).toBe(analysis);
    expect(view.forecasts()).toHaveLength(1);
  });
});

describe('restrictAnalysis', () => {
  it('filters suggestions, bands and workload patterns too', () => {
    const a = {
      ...analysisResult(),
      suggestionSeries: [
        { group: 'api', kind: 'memory_leak' as const, action: 'x', score: 1 },
        { group: 'db', kind: 'io_bound' as const, action: 'y', score: 1 },
      ],
    };
    const r = restrictAnalysis(a, new Set(['db']));
    expect(r.suggestionSeries.map((s) => s.action)).toEqual(['y']);
    expect(r.bands).toEqual([]);
    expect(restrictAnalysis(a, new Set(['api'])).patterns).toEqual([]);
    expect(r.profiles.clusters).toEqual(a.profiles.clusters);
  });
});
