import { addOnCpu, placementOf } from '../../../exporter/src/group/placement';

describe('placementOf', () => {
  it('puts the time of a process pinned to one CPU on that CPU, wherever it was last seen', () => {
    expect(placementOf({ threads: 8, processor: 3, cpusAllowed: [1] })).toEqual({ cpu: 1 });
  });

  it("puts a single-threaded process's time on the CPU it last ran on", () => {
    expect(placementOf({ threads: 1, processor: 2, cpusAllowed: [0, 1, 2, 3] })).toEqual({ cpu: 2 });
  });

  it('leaves a multi-threaded process to be spread over its allowed CPUs', () => {
    expect(placementOf({ threads: 4, processor: 2, cpusAllowed: [0, 2] })).toEqual({ spread: [0, 2] });
  });

  it('uses the last CPU when the affinity is unknown, and places nothing when neither is known', () => {
    expect(placementOf({ threads: 4, processor: 1, cpusAllowed: null })).toEqual({ cpu: 1 });
    expect(placementOf({ threads: 1, processor: null, cpusAllowed: null })).toBeNull();
  });
});

describe('addOnCpu', () => {
  it('adds to the CPU, growing the array with zeros', () => {
    const byCpu = [0.5];
    addOnCpu(byCpu, 0, 0.25);
    addOnCpu(byCpu, 2, 1);
    expect(byCpu).toEqual([0.75, 0, 1]);
  });
});
