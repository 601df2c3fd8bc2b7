import { ReadError } from '../../../../exporter/src/errors';
import { cpuListOf, parseCpuList } from '../../../../exporter/src/read/parse/cpulist';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseCpuList', () => {
  it.each([
    ['0', [0]],
    ['0-1', [0, 1]],
    ['0-3,8,10-11', [0, 1, 2, 3, 8, 10, 11]],
    ['5,1-2,2', [1, 2, 5]],
    ['', []],
    ['  3\n', [3]],
  ])('%j → %j', (text, cpus) => {
    expect(parseCpuList(text)).toEqual(cpus);
  });

  it.each(['a', '3-1', '1-', '-1', '0-99999', '1,,2'])('throws a ReadError on %j', (text) => {
    expect(() => parseCpuList(text)).toThrow(ReadError);
  });

  it('shares one frozen array per distinct list', () => {
    const a = cpuListOf('0-63');
    expect(cpuListOf('0-63')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toHaveLength(64);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('cpu list: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseCpuList, '0-3,8,10-11', { seed: 3917 });
  });
});
