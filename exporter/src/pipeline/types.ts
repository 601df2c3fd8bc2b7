import type { GroupSnapshot } from '../group/types';
import type { HostSnapshot } from '../read/types';
import type { CollectErrorReason } from '@procsight/contract';

interface ReadStats {
  processesListed: number;
  processesRead: number;
  errors: Partial<Record<CollectErrorReason, number>>;
}

/** Per-collector timing of one cycle (node_exporter style). */
export interface CollectorTiming {
  collector: string;
  seconds: number;
  success: boolean;
}

/** What one collection cycle produces; the only input of the analysis layer. */
export interface CollectionSnapshot {
  timestampMs: number;
  intervalSeconds: number;
  groups: GroupSnapshot[];
  host: HostSnapshot;
  read: ReadStats;
  collectDurationSeconds: number;
  groupsOverflowed: number;
  trackedPids: number;
}
