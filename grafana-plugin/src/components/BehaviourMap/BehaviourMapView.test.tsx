import React from 'react';
import { render, screen } from '@testing-library/react';
import { BehaviourMapView } from './BehaviourMapView';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const s = { instanceRegex: '.+' };
const vector = (result: Array<[Record<string, string>, number]>) => ({
  status: 'success',
  data: { resultType: 'vector', result: result.map(([metric, v]) => ({ metric, value: [1, String(v)] })) },
});
const at = (group: string) => ({ instance: 'h1', group });

describe('BehaviourMapView', () => {
  it('places each group, marks one out of its usual cluster and an unfamiliar one, and links to the drilldown', async () => {
    backend = fakeBackendSrv((_path, p) => {
      switch (p.query) {
        case q.profileCoordinates(s):
          return vector([
            [{ ...at('web'), axis: 'x' }, 0.1],
            [{ ...at('web'), axis: 'y' }, 0.2],
            [{ ...at('batch'), axis: 'x' }, 2.5],
            [{ ...at('batch'), axis: 'y' }, -1],
            [{ ...at('miner'), axis: 'x' }, 4],
            [{ ...at('miner'), axis: 'y' }, 3],
            // Only one coordinate: not on the map.
            [{ ...at('half'), axis: 'x' }, 1],
          ]);
        case q.profileCluster(s):
          return vector([
            [at('web'), 0],
            [at('batch'), 1],
            [at('miner'), 1],
          ]);
        case q.profileUsualCluster(s):
          return vector([
            [at('web'), 0],
            [at('batch'), 0],
          ]);
        case q.novelty(s):
          return vector([[at('miner'), 0.9]]);
        default:
          return EMPTY;
      }
    });
    render(<BehaviourMapView datasourceUid="prom" instance=".+" />);
    const points = await screen.findAllByTestId(testIds.map.point);
    expect(points).toHaveLength(3);
    const by = (g: string) => points.find((p) => p.getAttribute('href')?.includes(`/explorer/${g}?`))!;
    expect(by('batch').getAttribute('data-left')).toBe('true');
    expect(by('web').getAttribute('data-left')).toBe('false');
    expect(by('miner').getAttribute('data-unfamiliar')).toBe('true');
    expect(by('miner').querySelector('rect')).not.toBeNull();
    expect(by('batch').querySelector('title')?.textContent).toBe('batch on h1: cluster 1, usually 0');
  });

  it('says when there is no map yet', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<BehaviourMapView datasourceUid="prom" instance=".+" />);
    expect(await screen.findByTestId(testIds.map.empty)).toBeInTheDocument();
  });
});
