import React from 'react';
import { render, screen } from '@testing-library/react';
import { AccuracyTable, horizonSeconds } from './AccuracyTable';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const s = { instanceRegex: '.+' };
// Hand-made in the recorded shape: the 100 s recording has no backtest yet (accuracy needs history).
const vector = (rows: Array<[Record<string, string>, number]>) => ({
  status: 'success',
  data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [0, String(v)] })) },
});
const m = (horizon: string) => ({ instance: 'h:9556', group: 'api', resource: 'memory', horizon });

describe('AccuracyTable (Forecasts page)', () => {
  it('shows MASE and coverage of the selected group and resource at every horizon, shortest first', async () => {
    backend = fakeBackendSrv((_path, p) => {
      if (p.query === q.mase(s, 'api', 'memory')) {
        return vector([
          [m('1h'), 1.4],
          [m('5m'), 0.61],
          [m('6h'), 2.05],
          [m('15m'), 0.82],
        ]);
      }
      if (p.query === q.coverage(s, 'api', 'memory')) {
        return vector([
          [m('5m'), 0.79],
          [m('15m'), 0.8],
          [m('1h'), 0.66],
        ]);
      }
      return EMPTY;
    });
    render(<AccuracyTable datasourceUid="prom" instance=".+" group="api" resource="memory" />);
    const rows = await screen.findAllByTestId(testIds.forecasts.accuracyRow);
    expect(rows.map((r) => r.children[1].textContent)).toEqual(['5m', '15m', '1h', '6h']);
    expect(rows[0]).toHaveTextContent('0.61');
    expect(rows[0]).toHaveTextContent('79%');
    expect(rows[2]).toHaveTextContent('1.40');
    expect(rows[2]).toHaveTextContent('66%');
    // No coverage measured at 6h: a dash, not a blank.
    expect(rows[3].children[3]).toHaveTextContent('—');
    expect(screen.getByText(/Accuracy of the api memory forecast/)).toBeInTheDocument();
  });

  it('says when no accuracy is measured yet (as in the recording, whose history was too short)', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<AccuracyTable datasourceUid="prom" instance=".+" group="leaky-cache" resource="memory" />);
    expect(await screen.findByTestId(testIds.forecasts.accuracyEmpty)).toHaveTextContent(
      'No accuracy measured yet for leaky-cache memory'
    );
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ params: { query: q.mase(s, 'leaky-cache', 'memory') } })
    );
    expect(backend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ params: { query: q.coverage(s, 'leaky-cache', 'memory') } })
    );
  });

  it('shows the error when Prometheus fails', async () => {
    backend = fakeBackendSrv(() => new Error('bad_data: parse error'));
    render(<AccuracyTable datasourceUid="prom" instance=".+" group="api" resource="memory" />);
    expect(await screen.findByText('Cannot load forecast accuracy')).toBeInTheDocument();
  });

  it('asks for a group and a resource when none is chosen', () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<AccuracyTable datasourceUid="prom" instance=".+" />);
    expect(screen.getByTestId(testIds.forecasts.accuracyEmpty)).toHaveTextContent('Choose a group and a resource');
  });

  it('orders horizons by duration', () => {
    expect(horizonSeconds('15m')).toBe(900);
    expect(horizonSeconds('1h30m')).toBe(5400);
    expect(horizonSeconds('soon')).toBe(Number.POSITIVE_INFINITY);
  });
});
