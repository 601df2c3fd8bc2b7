import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../../exporter/src/remediate/audit';
import type { ActionRecord } from '../../../exporter/src/remediate/types';

function record(id: string, status: ActionRecord['status'], at = '2026-11-24T10:00:00.000Z'): ActionRecord {
  return {
    id,
    group: 'batch',
    kind: 'cpu_saturation',
    action: 'renice',
    status,
    reason: status,
    before: null,
    after: null,
    requested_at: at,
    decided_at: null,
    decided_by: null,
    rule: null,
    alert: { alertname: 'A', fingerprint: 'f', startsAt: at, instance: null, labels: {} },
    executing: false,
    history: [],
  };
}

describe('the remediation audit log', () => {
  it('appends one JSON line per event (mode 0600) and replays the latest state of each action, in request order', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'procsight-audit-')), 'sub', 'audit.jsonl');
    const log = new AuditLog(path);
    expect(log.open()).toEqual({ records: [], skipped: 0 });
    log.append({ at: 'x', event: 'pending', by: 'bearer token', record: record('b', 'pending', '2026-11-24T10:00:01.000Z') });
    log.append({ at: 'x', event: 'refused', by: 'policy', record: record('a', 'refused') });
    log.append({ at: 'y', event: 'done', by: 'web-config user ops', record: record('b', 'done', '2026-11-24T10:00:01.000Z') });
    log.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['pending', 'refused', 'done']);
    const again = new AuditLog(path);
    const { records } = again.open();
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['a', 'refused'],
      ['b', 'done'],
    ]);
    again.close();
  });

  it('skips a line torn by a crash mid-write (and lines edited into nonsense), and starts the next entry on a fresh line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'procsight-audit-')), 'audit.jsonl');
    const log = new AuditLog(path);
    log.open();
    log.append({ at: 'x', event: 'pending', by: 't', record: record('a', 'pending') });
    log.close();
    appendFileSync(path, '{"not":"an entry"}\n{"at":"x","event":"done","by":"t","record":{"id":"a","sta');
    const again = new AuditLog(path);
    const { records, skipped } = again.open();
    expect(skipped).toBe(2);
    expect(records.map((r) => r.status)).toEqual(['pending']);
    again.append({ at: 'z', event: 'refused', by: 't', record: record('a', 'refused') });
    again.close();
    const third = new AuditLog(path);
    expect(third.open().records.map((r) => r.status)).toEqual(['refused']);
    third.close();
  });
});
