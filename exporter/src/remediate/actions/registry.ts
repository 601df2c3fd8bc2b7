import type { RemediationRule } from '../config';
import { cgroupCpuLimit, cgroupMemoryLimit } from './cgroup';
import type { Executor } from './executor';
import { ionice, renice } from './priority';
import { run } from './run';
import { signal } from './signal';
import { restart, unitCpuLimit, unitMemoryLimit } from './systemd';

/** The executor of a rule's action: limits go to the systemd unit when the rule names one, else to the group's cgroup. */
export function executorFor(rule: RemediationRule): Executor {
  switch (rule.action) {
    case 'renice':
      return renice;
    case 'ionice':
      return ionice;
    case 'cpu_limit':
      return rule.unit ? unitCpuLimit : cgroupCpuLimit;
    case 'memory_limit':
      return rule.unit ? unitMemoryLimit : cgroupMemoryLimit;
    case 'restart':
      return restart;
    case 'signal':
      return signal;
    case 'run':
      return run;
  }
}
