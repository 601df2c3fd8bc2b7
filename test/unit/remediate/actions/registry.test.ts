import { cgroupCpuLimit, cgroupMemoryLimit } from '../../../../exporter/src/remediate/actions/cgroup';
import { ionice, renice } from '../../../../exporter/src/remediate/actions/priority';
import { executorFor } from '../../../../exporter/src/remediate/actions/registry';
import { run } from '../../../../exporter/src/remediate/actions/run';
import { signal } from '../../../../exporter/src/remediate/actions/signal';
import { restart, unitCpuLimit, unitMemoryLimit } from '../../../../exporter/src/remediate/actions/systemd';
import type { RemediationRule } from '../../../../exporter/src/remediate/config';

const rule = (r: Partial<RemediationRule> & Pick<RemediationRule, 'action'>): RemediationRule => ({
  group: 'g',
  kind: 'cpu_saturation',
  cooldown_seconds: 0,
  max_actions: 1,
  window_seconds: 60,
  max_processes: 1,
  ...r,
});

describe('executor of a rule', () => {
  it('sends limits to the unit when the rule names one and to the cgroup otherwise; only renice, ionice and limits roll back', () => {
    expect(executorFor(rule({ action: 'renice', nice: 1 }))).toBe(renice);
    expect(executorFor(rule({ action: 'ionice', class: 'idle' }))).toBe(ionice);
    expect(executorFor(rule({ action: 'cpu_limit', cores: 1 }))).toBe(cgroupCpuLimit);
    expect(executorFor(rule({ action: 'cpu_limit', cores: 1, unit: 'a.service' }))).toBe(unitCpuLimit);
    expect(executorFor(rule({ action: 'memory_limit', bytes: 1 << 30 }))).toBe(cgroupMemoryLimit);
    expect(executorFor(rule({ action: 'memory_limit', bytes: 1 << 30, unit: 'a.service' }))).toBe(unitMemoryLimit);
    expect(executorFor(rule({ action: 'restart', unit: 'a.service' }))).toBe(restart);
    expect(executorFor(rule({ action: 'signal' }))).toBe(signal);
    expect(executorFor(rule({ action: 'run', command: ['/x'] }))).toBe(run);
    const withRollback = (['renice', 'ionice', 'cpu_limit', 'memory_limit', 'restart', 'signal', 'run'] as const).filter(
      (action) => executorFor(rule({ action, unit: action === 'restart' ? 'a.service' : undefined })).rollback !== undefined,
    );
    expect(withRollback).toEqual(['renice', 'ionice', 'cpu_limit', 'memory_limit']);
  });
});
