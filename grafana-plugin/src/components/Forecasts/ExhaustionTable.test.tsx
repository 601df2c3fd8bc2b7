import React from 'react';
import { render, screen } from '@testing-library/react';
import { ExhaustionTable } from './ExhaustionTable';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

// Hand-made in the recorded shape: the 100 s recording has no forecast yet (forecasts need history).
const vector = (rows: Array<[Record<string, string>, number]>) => ({
  status: 'success',
  data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [0, String(v)] })) },
});
const m = (group: string, resource: string, limit: string) => ({ instance: 'h:9556', group, resource, limit });

describe('ExhaustionTable', () => {
  it('lists time to exhaustion soonest first with accuracy', async () => {
    backend = fakeBackendSrv((_path, p) => {
      if (p.query.startsWith('sort(')) {
        return vector([
          [m('api', 'memory', 'host_memory'), 1800],
          [m('db', 'fds', 'fd_limit'), 9000],
        ]);
      }
      if (p.query.includes('bound="earliest"')) {
        return vector([[{ ...m('api', 'memory', 'host_memory'), bound: 'earliest' }, 900]]);
      }
      if (p.query.includes('mase')) {
        return vector([[{ instance: 'h:9556', group: 'api', resource: 'memory' }, 0.82]]);
      }
      if (p.query.includes('coverage')) {
        return vector([[{ instance: 'h:9556', group: 'api', resource: 'memory' }, 0.8]]);
      }
      return EMPTY;
    });
    render(<ExhaustionTable datasourceUid="prom" instance=".+" />);
    const rows = await screen.findAllByTestId(testIds.forecasts.row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('api');
    expect(rows[0]).toHaveTextContent('30 min');
    expect(rows[0]).toHaveTextContent('15 min');
    expect(rows[0]).toHaveTextContent('0.82');
    expect(rows[0]).toHaveTextContent('80%');
    expect(rows[1]).toHaveTextContent('2.5 h');
  });

  it('lists a crossing that only the pessimistic bound predicts, sorted by it', async () => {
    backend = fakeBackendSrv((_path, p) => {
      if (p.query.startsWith('sort(')) {
        return vector([[m('db', 'fds', 'fd_limit'), 9000]]);
      }
      if (p.query.includes('bound="earliest"')) {
        return vector([
          [{ ...m('cache', 'memory', 'host_memory'), bound: 'earliest' }, 600],
          [{ ...m('db', 'fds', 'fd_limit'), bound: 'earliest' }, 4000],
        ]);
      }
      return EMPTY;
    });
    render(<ExhaustionTable datasourceUid="prom" instance=".+" />);
    const rows = await screen.findAllByTestId(testIds.forecasts.row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('cache');
    expect(rows[0]).toHaveTextContent('not on the mean path');
    expect(rows[0]).toHaveTextContent('10 min');
    expect(rows[1]).toHaveTextContent('db');
  });

  it('shows Prometheus\' error message when a query fails, not "[object Object]"', async () => {
    backend = fakeBackendSrv(() => {
      throw {
        status: 400,
        statusText: 'Bad Request',
        data: { status: 'error', error: '1:42: parse error: unknown escape sequence' },
      };
    });
    render(<ExhaustionTable datasourceUid="prom" instance=".+" />);
    expect(await screen.findByText('HTTP 400: 1:42: parse error: unknown escape sequence')).toBeInTheDocument();
  });

  it('says when nothing runs out (the recorded, real state)', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<ExhaustionTable datasourceUid="prom" instance=".+" />);
    expect(await screen.findByTestId(testIds.forecasts.empty)).toBeInTheDocument();
  });
});
