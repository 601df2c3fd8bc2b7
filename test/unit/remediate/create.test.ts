import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../../exporter/src/config/load';
import { silentLogger } from '../../../exporter/src/log/logger';
import { createRemediator, DEFAULT_KILL_SWITCH } from '../../../exporter/src/remediate/create';

describe('building the remediator from the config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-create-'));
  writeFileSync(join(dir, 'token'), 'a-token-of-enough-length\n');
  const make = (yaml: string, storagePath = join(dir, 'state')) =>
    createRemediator({
      config: parseConfigText(yaml, { source: 't' }).remediation,
      storagePath,
      procfs: '/proc',
      cgroupfs: '/sys/fs/cgroup',
      processesOf: () => [],
      bottleneckActive: () => null,
      logger: silentLogger,
    });

  it('is nothing when remediation is off (the default)', () => {
    expect(make('')).toBeNull();
    expect(make('remediation:\n  mode: off\n  webhook_token_file: /nonexistent\n', '')).toBeNull();
  });

  it('needs --storage.path and a readable token for any other mode', () => {
    expect(() => make(`remediation:\n  mode: dry-run\n  webhook_token_file: ${dir}/token\n`, '')).toThrow(/remediation\.mode: dry-run needs --storage\.path/);
    expect(() => make('remediation:\n  mode: approve\n')).toThrow(/remediation\.webhook_token_file: required when remediation\.mode is approve/);
    expect(() => make('remediation:\n  mode: auto\n  webhook_token_file: /nonexistent/token\n')).toThrow(/cannot read/);
  });

  it('keeps its audit log under --storage.path, with the kill switch there unless configured', async () => {
    const rem = make(`remediation:\n  mode: approve\n  webhook_token_file: ${dir}/token\n`);
    expect(rem?.mode).toBe('approve');
    expect(rem?.verifyToken('a-token-of-enough-length')).toBe(true);
    expect(existsSync(join(dir, 'state', 'remediation-audit.jsonl'))).toBe(true);
    expect(rem?.killSwitchOn()).toBe(false);
    writeFileSync(join(dir, 'state', DEFAULT_KILL_SWITCH), '');
    expect(rem?.killSwitchOn()).toBe(true);
    await rem?.stop();
    const custom = make(`remediation:\n  mode: approve\n  webhook_token_file: ${dir}/token\n  kill_switch_file: ${dir}/halt\n`);
    expect(custom?.killSwitchOn()).toBe(false);
    writeFileSync(join(dir, 'halt'), '');
    expect(custom?.killSwitchOn()).toBe(true);
    await custom?.stop();
  });
});
