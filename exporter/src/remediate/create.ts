import { join } from 'node:path';
import type { BottleneckKind, RemediationStatus } from '@procsight/contract';
import { ConfigError } from '../errors';
import type { Logger } from '../log/logger';
import type { ProcIdentity } from '../read/types';
import { AUDIT_FILE } from './audit';
import type { RemediationConfig } from './config';
import { Remediator } from './remediator';
import { readToken } from './token';
import type { ActionRecord } from './types';

/** The kill-switch file under --storage.path when remediation.kill_switch_file is not set. */
export const DEFAULT_KILL_SWITCH = 'remediation.disabled';

/**
 * The remediator for `remediation:`, or null when its mode is off. Any other
 * mode needs --storage.path (the audit log lives there) and a readable token
 * file: ConfigError (exit code 2) otherwise.
 */
export function createRemediator(opts: {
  config: RemediationConfig;
  storagePath: string;
  procfs: string;
  cgroupfs: string;
  processesOf(group: string): ReadonlyArray<{ identity: ProcIdentity }>;
  bottleneckActive(group: string, kind: BottleneckKind): boolean | null;
  logger: Logger;
  onStatus?: (action: string, status: RemediationStatus) => void;
  onExecuting?: (record: ActionRecord) => ((done: ActionRecord) => void) | undefined;
}): Remediator | null {
  const { config } = opts;
  if (config.mode === 'off') return null;
  if (!opts.storagePath) throw new ConfigError('remediation.mode', `${config.mode} needs --storage.path: the audit log of every action is kept there`);
  if (!config.webhook_token_file) throw new ConfigError('remediation.webhook_token_file', `required when remediation.mode is ${config.mode}`);
  const token = readToken(config.webhook_token_file);
  const killSwitchFile = config.kill_switch_file ?? join(opts.storagePath, DEFAULT_KILL_SWITCH);
  const remediator = new Remediator({
    config,
    auditPath: join(opts.storagePath, AUDIT_FILE),
    killSwitchFile,
    token,
    procfs: opts.procfs,
    cgroupfs: opts.cgroupfs,
    selfPid: process.pid,
    processesOf: opts.processesOf,
    bottleneckActive: opts.bottleneckActive,
    logger: opts.logger,
    onStatus: opts.onStatus,
    onExecuting: opts.onExecuting,
  });
  opts.logger.info(
    { mode: config.mode, rules: config.rules.length, kill_switch: killSwitchFile, audit: join(opts.storagePath, AUDIT_FILE) },
    'remediation is on',
  );
  if (config.rules.length === 0) opts.logger.warn({}, 'remediation is on without rules: every alert will be refused');
  return remediator;
}
