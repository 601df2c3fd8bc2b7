import type { Signal } from '@procsight/contract';
import type { GroupSnapshot } from '../../group/types';

/** Value of one signal for a group snapshot (null when not available yet). */
export function signalValue(g: GroupSnapshot, s: Signal): number | null {
  switch (s) {
    case 'cpu':
      return g.rates ? g.rates.cpuCores : null;
    case 'memory':
      return g.gauges.rssBytes;
    case 'io_read':
      return g.rates ? g.rates.readBytesPerSecond : null;
    case 'io_write':
      return g.rates ? g.rates.writeBytesPerSecond : null;
    case 'threads':
      return g.gauges.threads;
    case 'fds':
      return g.gauges.openFds;
    case 'context_switches':
      return g.rates ? g.rates.voluntaryCtxSwitchesPerSecond + g.rates.nonvoluntaryCtxSwitchesPerSecond : null;
    case 'cpu_wait':
      return g.rates ? g.rates.cpuWaitRatio : null;
    case 'page_faults':
      return g.rates ? g.rates.majorFaultsPerSecond : null;
  }
}
