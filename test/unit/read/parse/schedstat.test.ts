import { ReadError } from '../../../../exporter/src/errors';
import { parseSchedstat } from '../../../../exporter/src/read/parse/schedstat';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseSchedstat', () => {
  it('reads run time, wait time and timeslices', () => {
    expect(parseSchedstat('123456 7890 12\n')).toEqual({ runNs: 123456, waitNs: 7890, timeslices: 12 });
    expect(() => parseSchedstat('1 2')).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('schedstat: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseSchedstat, '1 2 3\n', { seed: 1315766016 });
  });
});
