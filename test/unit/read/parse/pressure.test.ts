import { ReadError } from '../../../../exporter/src/errors';
import { parsePressure } from '../../../../exporter/src/read/parse/pressure';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parsePressure', () => {
  it('parses PSI totals in seconds, with or without a full line', () => {
    expect(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\n')).toEqual({
      someSeconds: 2.5,
      fullSeconds: 1,
    });
    expect(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=10\n').fullSeconds).toBeNull();
    expect(() => parsePressure('nothing')).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('pressure: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parsePressure, 'some avg10=0.00 total=10\nfull avg10=0.00 total=5\n', { seed: 399766016 });
  });
});
