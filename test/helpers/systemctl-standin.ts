import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A STAND-IN `systemctl` (this machine has no systemd: pid 1 is not a service
 * manager) to put first on PATH. It keeps unit properties in files and logs
 * every call, and implements just what remediation uses, as systemctl does:
 * `show UNIT --property=P…` prints `P=value` lines (unknown units: exit 1),
 * `set-property --runtime UNIT CPUQuota=150%|CPUQuota=|MemoryMax=…` stores
 * what `show` then reports (CPUQuota as CPUQuotaPerSecUSec, e.g. 1.500000s),
 * `restart UNIT` bumps NRestarts and MainPID; a unit named `broken.service`
 * fails to restart with exit code 1 like a unit whose start fails.
 */
export interface SystemctlStandIn {
  /** Directory to put first on PATH. */
  dir: string;
  /** Every call's arguments, in order. */
  calls(): string[][];
  /** Declares a unit with its initial properties. */
  addUnit(unit: string, props?: Record<string, string>): void;
  property(unit: string, name: string): string | null;
  remove(): void;
}

const SCRIPT = `#!/bin/sh
# procsight test stand-in for systemctl (see test/helpers/systemctl-standin.ts)
here=$(dirname "$0")
printf '%s\\n' "$*" >> "$here/calls.log"
cmd=$1; shift
case "$cmd" in
show)
  unit=$1; shift
  [ -d "$here/units/$unit" ] || { echo "Unit $unit could not be found." >&2; exit 1; }
  for a in "$@"; do
    p=\${a#--property=}
    if [ -f "$here/units/$unit/$p" ]; then printf '%s=%s\\n' "$p" "$(cat "$here/units/$unit/$p")"; else printf '%s=\\n' "$p"; fi
  done ;;
set-property)
  [ "$1" = "--runtime" ] && shift
  unit=$1; shift
  [ -d "$here/units/$unit" ] || { echo "Unit $unit not found." >&2; exit 1; }
  for kv in "$@"; do
    k=\${kv%%=*}; v=\${kv#*=}
    case "$k" in
    CPUQuota)
      if [ -z "$v" ]; then echo infinity > "$here/units/$unit/CPUQuotaPerSecUSec"
      else pct=\${v%\\%}; printf '%d.%06ds\\n' $((pct / 100)) $(( (pct % 100) * 10000 )) > "$here/units/$unit/CPUQuotaPerSecUSec"; fi ;;
    MemoryMax) echo "$v" > "$here/units/$unit/MemoryMax" ;;
    *) echo "Unknown assignment: $kv" >&2; exit 1 ;;
    esac
  done ;;
restart)
  unit=$1
  [ -d "$here/units/$unit" ] || { echo "Unit $unit not found." >&2; exit 5; }
  [ "$unit" = "broken.service" ] && { echo "Job for $unit failed because the control process exited with error code." >&2; exit 1; }
  n=$(cat "$here/units/$unit/NRestarts" 2>/dev/null || echo 0)
  echo $((n + 1)) > "$here/units/$unit/NRestarts"
  echo $(( $(cat "$here/units/$unit/MainPID" 2>/dev/null || echo 100) + 1 )) > "$here/units/$unit/MainPID"
  echo active > "$here/units/$unit/ActiveState" ;;
*) echo "stand-in systemctl: $cmd not implemented" >&2; exit 1 ;;
esac
`;

export function systemctlStandIn(): SystemctlStandIn {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-systemctl-'));
  writeFileSync(join(dir, 'systemctl'), SCRIPT);
  chmodSync(join(dir, 'systemctl'), 0o755);
  mkdirSync(join(dir, 'units'));
  return {
    dir,
    calls: () =>
      existsSync(join(dir, 'calls.log'))
        ? readFileSync(join(dir, 'calls.log'), 'utf8')
            .trimEnd()
            .split('\n')
            .map((l) => l.split(' '))
        : [],
    addUnit(unit, props = {}) {
      mkdirSync(join(dir, 'units', unit), { recursive: true });
      const all = {
        ActiveState: 'active',
        SubState: 'running',
        MainPID: '100',
        NRestarts: '0',
        CPUQuotaPerSecUSec: 'infinity',
        MemoryMax: 'infinity',
        ...props,
      };
      for (const [k, v] of Object.entries(all)) writeFileSync(join(dir, 'units', unit, k), `${v}\n`);
    },
    property(unit, name) {
      const f = join(dir, 'units', unit, name);
      return existsSync(f) ? readFileSync(f, 'utf8').trim() : null;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
