import { compareText } from '@procsight/contract';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActionRecord } from './types';
import { errnoCode } from '../util/error-message';

/** One line of the audit log: the action as it stood after an event. */
export interface AuditEntry {
  at: string;
  /** The new status, or `executing` when the action starts to act. */
  event: ActionRecord['status'] | 'executing';
  by: string;
  record: ActionRecord;
}

/** The audit log's name under --storage.path. */
export const AUDIT_FILE = 'remediation-audit.jsonl';

function isEntry(x: unknown): x is AuditEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Partial<AuditEntry>;
  return typeof e.at === 'string' && typeof e.event === 'string' && typeof e.record === 'object' && e.record !== null && typeof e.record.id === 'string';
}

/**
 * Append-only JSON lines, one per event, each written and fsynced before the
 * call returns (and before the action it announces is taken), so a kill -9
 * loses at most the line being written. Never rewritten or truncated by
 * procsight; the latest line of an id is that action's state on restart.
 */
export class AuditLog {
  private fd: number | null = null;

  constructor(readonly path: string) {}

  /**
   * Reads the log: the latest state of every action, oldest first, and how
   * many lines could not be read (a line torn by a crash mid-write, or edited
   * by hand). Opens the file for appending, on a fresh line.
   */
  open(): { records: ActionRecord[]; skipped: number } {
    mkdirSync(dirname(this.path), { recursive: true });
    let text = '';
    let created = false;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
      created = true;
    }
    const latest = new Map<string, ActionRecord>();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        skipped++;
        continue;
      }
      if (!isEntry(parsed)) {
        skipped++;
        continue;
      }
      latest.delete(parsed.record.id); // re-insert: Map order is the order of the latest events
      latest.set(parsed.record.id, parsed.record);
    }
    this.fd = openSync(this.path, 'a', 0o600);
    if (created) fsyncDir(dirname(this.path));
    // A torn last line (no newline) must not swallow the next entry.
    if (text.length > 0 && !text.endsWith('\n')) this.write('\n');
    return { records: [...latest.values()].sort((a, b) => compareText(a.requested_at, b.requested_at)), skipped };
  }

  append(entry: AuditEntry): void {
    this.write(`${JSON.stringify(entry)}\n`);
  }

  private write(text: string): void {
    if (this.fd === null) throw new Error('audit log not open');
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** A new file's directory entry is durable only once the directory is fsynced. */
function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
