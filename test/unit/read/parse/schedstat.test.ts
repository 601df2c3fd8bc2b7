import { ReadError } from '../../../../exporter/src/errors';
import { parseSchedstat, schedstatTimeslices } from '../../../../exporter/src/read/parse/schedstat';
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

describe('schedstatTimeslices (the idle check)', () => {
  it('reads the third field as parseSchedstat does', () => {
    expect(schedstatTimeslices('123456 7890 12\n')).toBe(12);
    expect(schedstatTimeslices('  1\t2  3 4\n')).toBe(3);
    expect(schedstatTimeslices('1 2')).toBeNull();
    expect(schedstatTimeslices('1 2 3x')).toBeNull();
    expect(schedstatTimeslices(`1 2 ${'9'.repeat(17)}`)).toBeNull();
  });

  it('agrees with parseSchedstat on 2000 mutated inputs: the same number, or null where it throws', () => {
    expectOnlyReadErrors(
      (text) => {
        const fast = schedstatTimeslices(text);
        let full: number;
        try {
          full = parseSchedstat(text).timeslices;
        } catch (e) {
          expect(fast).toBeNull();
          throw e;
        }
        expect(fast).toBe(full);
        return full;
      },
      '1234567 89 42\n',
      { seed: 77 },
    );
  });
});
