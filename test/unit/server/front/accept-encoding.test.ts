import { prefersGzip } from '../../../../exporter/src/server/front/accept-encoding';

describe('prefersGzip (the choice Express made with acceptsEncodings("gzip", "identity"))', () => {
  // Expected values: negotiator 1.1.0 (Express's) on the same headers.
  it.each([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['gzip;q=0', false],
    ['identity, gzip', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0.5, identity', false],
    ['identity;q=0, gzip;q=0.1', true],
    ['GZIP', true],
    ['br', false],
    ['deflate, *;q=0.1', true],
    ['gzip;q=0.8, *;q=0.9', false],
    ['identity;q=0.5, gzip;q=0.5', false],
    ['x-gzip', false],
    ['gzip;q=1.0, identity; q=0.5, *;q=0', true],
    ['  gzip  ;  q=0.3 ', true],
    ['gzip;q=abc', false],
    ['gzip;level=1;q=0.7, identity;q=0.6', true],
  ])('%j → %s', (header, expected) => {
    expect(prefersGzip(header)).toBe(expected);
  });
});
