import React from 'react';
import { render, screen } from '@testing-library/react';
import { SlowedByView } from './SlowedByView';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import { q } from '../../queries/promql';
import { testIds } from '../testIds';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

describe('SlowedByView', () => {
  it("lists the neighbours named for the group's waits, largest share first, linking to their drilldown", async () => {
    backend = fakeBackendSrv((_path, p) =>
      p.query === q.groupContention({ instanceRegex: '.+' }, 'order-db')
        ? {
            status: 'success',
            data: {
              resultType: 'vector',
              result: [
                {
                  metric: { instance: 'h1', group: 'order-db', culprit: 'log-shipper', resource: 'cpu' },
                  value: [1, '0.2'],
                },
                {
                  metric: { instance: 'h1', group: 'order-db', culprit: 'nightly-backup', resource: 'io' },
                  value: [1, '0.71'],
                },
              ],
            },
          }
        : EMPTY
    );
    render(<SlowedByView datasourceUid="prom" instance=".+" group="order-db" />);
    const items = await screen.findAllByTestId(testIds.slowedBy.item);
    expect(items.map((i) => i.textContent)).toEqual([
      'nightly-backup: 71% of its storage wait on h1',
      'log-shipper: 20% of its CPU run-queue wait on h1',
    ]);
    expect(screen.getByText('nightly-backup').closest('a')?.getAttribute('href')).toMatch(
      /\/explorer\/nightly-backup\?var-instance=h1/
    );
  });

  it('says so when no neighbour is named', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<SlowedByView datasourceUid="prom" instance=".+" group="order-db" />);
    expect(await screen.findByTestId(testIds.slowedBy.none)).toHaveTextContent(
      'No neighbour is named as slowing order-db down'
    );
  });
});
