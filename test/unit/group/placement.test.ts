import { placeOnCpus } from '../../../exporter/src/group/placement';

describe('placeOnCpus', () => {
  const place = (p: Parameters<typeof placeOnCpus>[1], amount = 1): { byCpu: number[]; placed: boolean } => {
    const byCpu: number[] = [];
    const placed = placeOnCpus(byCpu, p, amount);
    return { byCpu, placed };
  };

  it('puts the time of a process pinned to one CPU on that CPU, wherever it was last seen', () => {
    expect(place({ threads: 8, processor: 3, cpusAllowed: [1] })).toEqual({ byCpu: [0, 1], placed: true });
  });

  it('puts a single-threaded process\'s time on the CPU it last ran on', () => {
    expect(place({ threads: 1, processor: 2, cpusAllowed: [0, 1, 2, 3] })).toEqual({ byCpu: [0, 0, 1], placed: true });
  });

  it('spreads a multi-threaded process evenly over its allowed CPUs', () => {
    expect(place({ threads: 4, processor: 2, cpusAllowed: [0, 2] }, 2)).toEqual({ byCpu: [1, 0, 1], placed: true });
  });

  it('uses the last CPU when the affinity is unknown, and places nothing when neither is known', () => {
    expect(place({ threads: 4, processor: 1, cpusAllowed: null })).toEqual({ byCpu: [0, 1], placed: true });
    expect(place({ threads: 1, processor: null, cpusAllowed: null })).toEqual({ byCpu: [], placed: false });
  });

  it('adds to what is there and ignores nothing to place', () => {
    const byCpu = [0.5];
    placeOnCpus(byCpu, { threads: 1, processor: 0, cpusAllowed: [0] }, 0.25);
    placeOnCpus(byCpu, { threads: 1, processor: 0, cpusAllowed: [0] }, 0);
    expect(byCpu).toEqual([0.75]);
  });
});
