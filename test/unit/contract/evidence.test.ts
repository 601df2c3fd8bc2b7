import { CULPRIT_SENTENCES as C, EVIDENCE_SENTENCES as S, fmtBytes, fmtCpus, fmtDuration, fmtRatio, fmtValue } from '@procsight/contract';

describe('evidence formatters', () => {
  it('write bytes with binary prefixes, one decimal below 100', () => {
    expect(fmtBytes(42)).toBe('42.0 B');
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(1536)).toBe('1.5 KiB');
    expect(fmtBytes(3 * 2 ** 20)).toBe('3.0 MiB');
    expect(fmtBytes(150 * 2 ** 20)).toBe('150 MiB');
    expect(fmtBytes(8 * 2 ** 30)).toBe('8.0 GiB');
    expect(fmtBytes(-2048)).toBe('-2.0 KiB');
  });

  it('write ratios as percentages and durations in the largest unit that fits', () => {
    expect(fmtRatio(0.425)).toBe('43%');
    expect(fmtDuration(45)).toBe('45 s');
    expect(fmtDuration(750)).toBe('12.5 min');
    expect(fmtDuration(3.2 * 3600)).toBe('3.2 h');
    expect(fmtDuration(5.7 * 86_400)).toBe('5.7 d');
  });

  it('write a value by its unit, other units after the number', () => {
    expect(fmtValue(2 ** 20, 'bytes')).toBe('1.0 MiB');
    expect(fmtValue(2 ** 20, 'bytes/s')).toBe('1.0 MiB/s');
    expect(fmtValue(0.9, 'ratio')).toBe('90%');
    expect(fmtValue(120, 'seconds')).toBe('2.0 min');
    expect(fmtValue(6, 'tasks')).toBe('6 tasks');
    expect(fmtValue(0.123, 'cores')).toBe('0.12 cores');
  });
});

describe('evidence sentences', () => {
  it('add "usually" only once a finite normal is learned', () => {
    expect(S.cpu_cores_1m({ cores: 3.2, window: '1-min', usual: 0.4 })).toBe('uses 3.20 cores, usually 0.40 (1-min mean)');
    for (const usual of [null, undefined, NaN, Infinity]) expect(S.cpu_cores_1m({ cores: 3.2, window: '1-min', usual })).toBe('uses 3.20 cores (1-min mean)');
    expect(S.host_cpu_busy_ratio({ busy: 0.45, iowait: 0.01, usual: 0.2 })).toBe('host CPU 45% busy, usually 20%, iowait 1%');
  });

  it('leave out a fact the caller does not have, never showing it as 0', () => {
    expect(S.cpu_cores_1m({ cores: 0.99, window: '2-min', std: 0.01, capacity: 1 })).toBe('uses 0.99 cores (2-min mean, σ 0.01) of 1 it can use');
    expect(S.host_cpu_pressure_ratio({ runnable: 6, cpus: 4, pressure: 0.4, usual: 0.01 })).toBe('6 runnable tasks on 4 CPUs, CPU pressure 40%, usually 1%');
    expect(S.host_cpu_pressure_ratio({ runnable: 6, cpus: 4, pressure: null, usual: 2 })).toBe('6 runnable tasks on 4 CPUs, usually 2.0');
    expect(S.host_memory_pressure_some_ratio({ pressure: null })).toBe('host memory pressure unknown (no PSI)');
    expect(S.host_memory_pressure_some_ratio({ pressure: 0.3, available: 2 ** 30, groupSwap: 2 ** 20 })).toBe(
      'host memory pressure 30%, 1.0 GiB available, swap used by the group 1.0 MiB',
    );
    expect(S.cgroup_memory_usage_ratio({ usage: 243 * 2 ** 20, limit: 256 * 2 ** 20, cgroup: '/shop' })).toBe(
      'its memory cgroup /shop holds 243 MiB of its 256 MiB limit (95%)',
    );
    expect(S.cgroup_memory_usage_ratio({ usage: 243 * 2 ** 20, limit: 256 * 2 ** 20 })).toBe('its memory cgroup holds 243 MiB of its 256 MiB limit (95%)');
    expect(S.fd_limit_ratio({ ratio: 0.9 })).toBe('worst process holds 90% of its open-files limit');
    expect(S.fd_limit_ratio({ ratio: 0.9, limit: null, open: 920 })).toBe(
      'worst process holds 90% of its open-files limit (unknown); the group has 920 fds open',
    );
  });

  it('say whether memory and fds grow, and when a limit is reached', () => {
    expect(S.rss_slope_bytes_per_second({ bytesPerSecond: 52428.8, fit: 'R² 0.98', now: 5e8 })).toBe('RSS grows 3.0 MiB/min (R² 0.98); now 477 MiB');
    expect(S.rss_slope_bytes_per_second({ bytesPerSecond: 0, fit: '10-min linear fit', spanSeconds: 600, now: 2 ** 20, usualNow: 2 ** 20 })).toBe(
      'RSS is not growing (10-min linear fit) over 10.0 min; now 1.0 MiB, usually 1.0 MiB',
    );
    expect(S.time_to_host_memory_exhaustion_seconds({ seconds: 5.7 * 86_400, available: 8 * 2 ** 30 })).toBe(
      'at this rate host available memory (8.0 GiB) is gone in 5.7 d',
    );
    expect(S.fd_time_to_limit_seconds({ perSecond: 20 })).toBe('open fds grow 20.0/s (linear fit)');
    expect(S.fd_time_to_limit_seconds({ perSecond: 0, fit: '5-min linear fit' })).toBe('open fds are not growing (5-min linear fit)');
    expect(S.fd_time_to_limit_seconds({ perSecond: 5, seconds: 120 })).toBe('fds grow 5.0/s: the limit is reached in 2.0 min');
    expect(S.fd_time_to_limit_seconds({ perSecond: 0.5, seconds: 1433.6, perProcess: true })).toBe(
      "the group's fds grow 0.5/s; at its own trend the fastest-filling process reaches its limit in 23.9 min",
    );
  });

  it('have one builder per evidence feature, named by the feature', () => {
    expect(Object.keys(S).sort()).toEqual(
      [
        'cgroup_memory_usage_ratio',
        'container_network_bytes_per_second',
        'context_switches_per_second_1m',
        'cpu_cores_1m',
        'cpu_wait_share_1m',
        'culprit_share',
        'fd_limit_ratio',
        'fd_time_to_limit_seconds',
        'host_cpu_busy_ratio',
        'host_cpu_pressure_ratio',
        'host_memory_available_ratio',
        'host_memory_pressure_some_ratio',
        'io_bytes_per_second_1m',
        'io_wait_ratio',
        'major_faults_per_second_1m',
        'rss_slope_bytes_per_second',
        'switches_per_cpu_second',
        'thread_growth_5m',
        'time_to_host_memory_exhaustion_seconds',
      ].sort(),
    );
    expect(S.thread_growth_5m({ from: 20, to: 400, growth: 19, spanSeconds: 300, perMinute: 76, usualThreads: 20 })).toBe(
      'threads grew from 20 to 400 (1900%) in 5.0 min, 76 per minute (usually about 20 threads)',
    );
    expect(S.container_network_bytes_per_second({ bytesPerSecond: 9e7 })).toBe('its network namespace moves 85.8 MiB/s');
  });

  it('name the culprits of a wait, or say why none is named', () => {
    expect(C.cpu({ waitShare: 0.38, cpus: [0], culprit: 'batch-export', cores: 2.9, share: 0.71 })).toBe(
      'waits 38% of its runnable time for CPU 0, where batch-export uses 2.90 cores (71% of the wait)',
    );
    expect(C.io({ waitShare: 0.8, disk: 'vda', diskBusy: 0.97, culprit: 'bulk-load', bytesPerSecond: 50 * 2 ** 20, share: 0.9 })).toBe(
      'spends 80% of its time waiting on storage (vda 97% busy), where bulk-load moves 50.0 MiB/s (90% of the disk traffic)',
    );
    expect(C.io({ waitShare: 0.8, culprit: 'bulk-load', bytesPerSecond: 2 ** 20, share: 0.9 })).toBe(
      'spends 80% of its time waiting on storage, where bulk-load moves 1.0 MiB/s (90% of the disk traffic)',
    );
    expect(C.memory({ faultsPerSecond: 120, culprit: 'cache', grewBytes: 300 * 2 ** 20, windowSeconds: 300, cgroup: '/shop', share: 0.95 })).toBe(
      'takes 120.0 major page faults/s while cache grew 300 MiB in 5.0 min in the same memory cgroup (/shop) (95% of the growth)',
    );
    expect(S.culprit_share({ culprits: ['a', 'b'] })).toBe('a; b');
    expect(S.culprit_share({ culprits: [], reason: "the largest share, web's, is 12%" })).toBe(
      "no neighbour explains the wait: the largest share, web's, is 12%",
    );
    expect(S.culprit_share({ culprits: [] })).toBe('no neighbour explains the wait');
  });

  it('write CPU lists as the kernel does', () => {
    expect(fmtCpus([0])).toBe('CPU 0');
    expect(fmtCpus([0, 1, 2, 3, 8, 10, 11])).toBe('CPUs 0-3,8,10-11');
    expect(fmtCpus([])).toBe('no CPU');
  });
});
