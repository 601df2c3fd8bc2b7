import { HostSeries } from '../../../../exporter/src/analyse/correlate/host-series';
import { hostSnapshot } from '../../../helpers/synthetic';

describe('HostSeries', () => {
  it('keeps a 15-second mean for an hour, skipping samples without rates and features never measured', () => {
    const h = new HostSeries();
    h.add({ ...hostSnapshot(), rates: null }, 0);
    for (let t = 5; t <= 4000; t += 5) h.add(hostSnapshot({}, { cpuBusyRatio: t / 4000, pressureCpuSomeRatio: undefined }), t * 1000);
    const all = h.series();
    const busy = all.find((s) => s.feature === 'cpu_busy_ratio')!.series;
    // Points 15 s apart (the first sample had no rates), the last hour only.
    expect(busy.t[1] - busy.t[0]).toBe(15);
    expect(busy.t[busy.t.length - 1]).toBe(3995);
    expect(busy.t[busy.t.length - 1] - busy.t[0]).toBeLessThanOrEqual(3600);
    // The mean of the samples since the point before (3985, 3990, 3995).
    expect(busy.x[busy.x.length - 1]).toBeCloseTo(3990 / 4000);
    // No PSI on this host: the feature is left out.
    expect(all.map((s) => s.feature)).not.toContain('pressure_cpu_some_ratio');
    expect(all.map((s) => s.feature)).toContain('iowait_ratio');
  });
});
