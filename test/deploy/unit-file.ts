/** deploy/systemd/procsight.service as key → values (a key given twice keeps both values, in order). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './manifests';

export const UNIT_PATH = join(ROOT, 'deploy', 'systemd', 'procsight.service');

export type Unit = Record<string, Record<string, string[]>>;

function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head) {
      section = head[1];
      unit[section] = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !section) throw new Error(`not a unit file line: ${line}`);
    const key = line.slice(0, eq);
    (unit[section][key] ??= []).push(line.slice(eq + 1));
  }
  return unit;
}

export const readUnit = (): Unit => parseUnit(readFileSync(UNIT_PATH, 'utf8'));

/** Capability names of a systemd list (CAP_SYS_PTRACE CAP_DAC_READ_SEARCH) as Kubernetes spells them (SYS_PTRACE …). */
export const capNames = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((c) => c.replace(/^CAP_/, ''))
    .sort();
