import { compareText } from '@procsight/contract';

describe('compareText', () => {
  it('orders by code point: stable tie-breaks whatever the locale, upper case before lower case as Prometheus sorts', () => {
    expect(['web', 'Api', 'api', 'db-1', 'db-10', 'db-2'].sort(compareText)).toEqual(['Api', 'api', 'db-1', 'db-10', 'db-2', 'web']);
    expect(compareText('a', 'a')).toBe(0);
    expect(compareText('a', 'b')).toBeLessThan(0);
    expect(compareText('b', 'a')).toBeGreaterThan(0);
  });
});
