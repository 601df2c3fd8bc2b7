import { compareText } from '@procsight/contract';
import { Router } from 'express';
import { z } from 'zod';
import { RequestError } from '../../errors';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import { parseQuery } from '../validate';
import { sendJsonList } from '../json';

const SORT_KEYS = ['name', 'cpu', 'memory', 'io', 'processes', 'threads', 'fds'] as const;

/** Query parameters (exported for the check of docs/api.md). */
export const groupsQuery = z
  .object({
    sort: z.enum(SORT_KEYS).default('cpu'),
    limit: z.coerce.number().int().min(1).max(10000).default(10000),
    group: z.string().min(1).max(256).optional(),
  })
  .strict();

function sortValue(g: GroupSnapshot, key: (typeof SORT_KEYS)[number]): number {
  switch (key) {
    case 'cpu':
      return g.rates?.cpuCores ?? 0;
    case 'memory':
      return g.gauges.rssBytes;
    case 'io':
      return (g.rates?.readBytesPerSecond ?? 0) + (g.rates?.writeBytesPerSecond ?? 0);
    case 'processes':
      return g.processes;
    case 'threads':
      return g.gauges.threads;
    case 'fds':
      return g.gauges.openFds;
    case 'name':
      return 0;
  }
}

/** The JSON view of one group: current values, totals and rates (see docs/api.md). */
function groupView(g: GroupSnapshot) {
  return {
    group: g.name,
    processes: g.processes,
    declared: g.declared,
    overflow: g.overflow,
    first_seen: new Date(g.firstSeenMs).toISOString(),
    memory_bytes: { resident: g.gauges.rssBytes, virtual: g.gauges.vmsBytes, swap: g.gauges.swapBytes },
    threads: g.gauges.threads,
    open_fds: g.gauges.openFds,
    fd_limit_ratio: g.gauges.fdLimitRatio,
    states: g.states,
    totals: {
      cpu_seconds: { user: g.counters.cpuUserSeconds, system: g.counters.cpuSystemSeconds },
      io_bytes: { read: g.counters.readBytes, write: g.counters.writeBytes },
      context_switches: { voluntary: g.counters.voluntaryCtxSwitches, nonvoluntary: g.counters.nonvoluntaryCtxSwitches },
      cpu_wait_seconds: g.counters.cpuWaitSeconds,
      major_page_faults: g.counters.majorFaults,
      network_bytes: { receive: g.counters.netReceiveBytes, transmit: g.counters.netTransmitBytes },
    },
    rates: g.rates
      ? {
          cpu_cores: g.rates.cpuCores,
          read_bytes_per_second: g.rates.readBytesPerSecond,
          write_bytes_per_second: g.rates.writeBytesPerSecond,
          context_switches_per_second: g.rates.voluntaryCtxSwitchesPerSecond + g.rates.nonvoluntaryCtxSwitchesPerSecond,
          cpu_wait_ratio: g.rates.cpuWaitRatio,
          major_page_faults_per_second: g.rates.majorFaultsPerSecond,
        }
      : null,
  };
}

/** GET /api/v1/groups: every group with its current values. */
export function createGroupsRouter(deps: { snapshot(): CollectionSnapshot | null }): Router {
  const r = Router();
  r.get('/groups', async (req, res) => {
    const q = parseQuery(groupsQuery, req.query);
    const snap = deps.snapshot();
    if (!snap) throw new RequestError(503, 'no collection yet: try again after the first collection interval');
    let groups = snap.groups;
    if (q.group !== undefined) {
      groups = groups.filter((g) => g.name === q.group);
      if (groups.length === 0) throw new RequestError(404, `unknown group ${JSON.stringify(q.group)}`);
    }
    const sorted =
      q.sort === 'name' ? [...groups].sort((a, b) => compareText(a.name, b.name)) : [...groups].sort((a, b) => sortValue(b, q.sort) - sortValue(a, q.sort));
    await sendJsonList(res, {
      head: { timestamp: new Date(snap.timestampMs).toISOString(), interval_seconds: snap.intervalSeconds },
      key: 'groups',
      items: sorted.slice(0, q.limit),
      view: groupView,
    });
  });
  return r;
}
