import { ConfigError } from '../errors';

/**
 * process-exporter's command line, for a drop-in swap of the binary
 * (`prometheus-process-exporter -h`, and its source for the flags Debian's
 * 0.7.10 lacks). Its flags are Go `flag` flags: one dash or two, `-f value`
 * or `-f=value`, booleans as `-f` or `-f=false`. They are translated to
 * procsight's own flags where both have one (same meaning), the rest into
 * these options; any of them turns on process-exporter's series.
 */
export interface ProcessExporterCli {
  /** -children (default true): a process no rule matches joins its tracked parent's group. */
  children: boolean;
  /** -threads (default true): namedprocess_namegroup_thread_* series. */
  threads: boolean;
  /** -gather-smaps (default true): memtype="proportionalResident|proportionalSwapped" from smaps_rollup. */
  gatherSmaps: boolean;
  /** -recheck: unmatched processes are named again each cycle; -recheck-with-time-limit bounds it (seconds after their start). */
  recheck: boolean;
  recheckTimeLimitSeconds: number;
  /** -remove-empty-groups: a group without processes is dropped at once. */
  removeEmptyGroups: boolean;
  /** -procnames and -namemapping (with -config.path: refused, as process-exporter does). */
  procnames: string[];
  namemapping: Array<{ comm: string; regex: string }>;
  /** -once-to-stdout-delay: do not listen; print the metrics once after this long and exit (0: off). */
  onceToStdoutDelaySeconds: number;
}

/** process-exporter's defaults (also what --compat.process-exporter alone means). */
export const PROCESS_EXPORTER_DEFAULTS: ProcessExporterCli = {
  children: true,
  threads: true,
  gatherSmaps: true,
  recheck: false,
  recheckTimeLimitSeconds: 0,
  removeEmptyGroups: false,
  procnames: [],
  namemapping: [],
  onceToStdoutDelaySeconds: 0,
};

/** process-exporter's own listen address: a drop-in keeps the port its scrape configs point at. */
const PROCESS_EXPORTER_LISTEN_ADDRESS = ':9256';

type Kind = 'bool' | 'string' | 'duration';

/** Every process-exporter flag (0.8's; 0.7.10 lacks -once-to-stdout-delay, -recheck-with-time-limit and -remove-empty-groups). */
const PE_FLAGS: Record<string, Kind> = {
  children: 'bool',
  'config.path': 'string',
  debug: 'bool',
  'gather-smaps': 'bool',
  man: 'bool',
  namemapping: 'string',
  'once-to-stdout-delay': 'duration',
  procfs: 'string',
  procnames: 'string',
  recheck: 'bool',
  'recheck-with-time-limit': 'duration',
  'remove-empty-groups': 'bool',
  threads: 'bool',
  version: 'bool',
  'web.config.file': 'string',
  'web.listen-address': 'string',
  'web.telemetry-path': 'string',
};

/** Flags both exporters have under the same name and meaning: given with two dashes they are procsight's own. */
const SHARED = new Set(['web.config.file', 'web.listen-address', 'web.telemetry-path', 'version']);

export interface Translated {
  /** procsight's own arguments, with process-exporter's translated into them. */
  argv: string[];
  /** null when no process-exporter flag was given. */
  processExporter: ProcessExporterCli | null;
  /** -man: print process-exporter's manual (its usage) and exit. */
  man: boolean;
}

/** Go's strconv.ParseBool. */
function goBool(flag: string, v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new ConfigError(`-${flag}`, `invalid boolean value ${JSON.stringify(v)} (process-exporter flag: use -${flag}=true or -${flag}=false)`);
}

/**
 * Splits process-exporter's flags out of `argv` and translates them. A
 * token is process-exporter's when it names one of its flags with one dash,
 * or with two dashes a flag procsight does not have.
 */
export function translateProcessExporterArgs(argv: readonly string[]): Translated {
  const out: string[] = [];
  const pe: ProcessExporterCli = { ...PROCESS_EXPORTER_DEFAULTS, procnames: [], namemapping: [] };
  let used = false;
  let man = false;
  let listen: string | null = null;
  let configPath = '';
  let mapping = '';
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i];
    if (tok === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^(-{1,2})([\w.-]+)(?:=(.*))?$/s.exec(tok);
    const name = m?.[2] ?? '';
    if (!m || !(name in PE_FLAGS) || (m[1] === '--' && SHARED.has(name))) {
      out.push(tok);
      continue;
    }
    used = true;
    const kind = PE_FLAGS[name];
    let value = m[3];
    if (value === undefined && kind !== 'bool') {
      if (i + 1 >= argv.length) throw new ConfigError(`-${name}`, 'flag needs an argument');
      value = argv[++i];
    }
    const bool = () => (value === undefined ? true : goBool(name, value));
    const text = value ?? '';
    switch (name) {
      case 'children':
        pe.children = bool();
        break;
      case 'threads':
        pe.threads = bool();
        break;
      case 'gather-smaps':
        pe.gatherSmaps = bool();
        break;
      case 'recheck':
        pe.recheck = bool();
        break;
      case 'remove-empty-groups':
        pe.removeEmptyGroups = bool();
        break;
      case 'recheck-with-time-limit':
        pe.recheckTimeLimitSeconds = goDuration(name, text);
        if (pe.recheckTimeLimitSeconds > 0) pe.recheck = true;
        break;
      case 'once-to-stdout-delay':
        pe.onceToStdoutDelaySeconds = goDuration(name, text);
        break;
      case 'debug':
        if (bool()) out.push('--log.level=debug');
        break;
      case 'man':
        man = bool();
        break;
      case 'version':
        if (bool()) out.push('--version');
        break;
      case 'config.path':
        configPath = text;
        out.push(`--config.file=${text}`);
        break;
      case 'procfs':
        out.push(`--path.procfs=${text}`);
        break;
      case 'procnames':
        pe.procnames = text.split(',').filter((s) => s !== '');
        break;
      case 'namemapping':
        mapping = text;
        break;
      case 'web.listen-address':
        listen = text;
        break;
      case 'web.config.file':
      case 'web.telemetry-path':
        out.push(`--${name}=${text}`);
        break;
    }
  }
  if (!used) return { argv: [...argv], processExporter: null, man: false };
  pe.namemapping = parseNameMapping(mapping);
  if (configPath && (pe.procnames.length > 0 || pe.namemapping.length > 0))
    throw new ConfigError('-config.path', 'cannot be used with -namemapping or -procnames (as in process-exporter)');
  // A drop-in keeps process-exporter's port unless told otherwise, by either exporter's flag.
  if (listen !== null) out.push(`--web.listen-address=${listen}`);
  else if (!out.some((a) => /^--web\.listen-address(=|$)/.test(a))) out.unshift(`--web.listen-address=${PROCESS_EXPORTER_LISTEN_ADDRESS}`);
  return { argv: out, processExporter: pe, man };
}

/** -namemapping: comma-separated, alternating process name and capturing regex. */
function parseNameMapping(s: string): Array<{ comm: string; regex: string }> {
  if (s === '') return [];
  const toks = s.split(',');
  if (toks.length % 2 === 1) throw new ConfigError('-namemapping', 'bad namemapper: odd number of tokens');
  const out: Array<{ comm: string; regex: string }> = [];
  toks.forEach((t, i) => {
    if (t === '') throw new ConfigError('-namemapping', `bad namemapper: token ${i} is empty`);
  });
  for (let i = 0; i < toks.length; i += 2) out.push({ comm: toks[i], regex: toks[i + 1] });
  return out;
}

/** Go's time.ParseDuration for the units people write here (0 allowed). */
function goDuration(flag: string, v: string): number {
  if (v === '0') return 0;
  let total = 0;
  let rest = v;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new ConfigError(`-${flag}`, `invalid duration ${JSON.stringify(v)} (e.g. 10s, 1m30s)`);
    const n = Number(m[1]);
    const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
    total += n * unit[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** process-exporter's -man text, for a drop-in that is asked for it. */
export function processExporterManual(): string {
  return `Usage (process-exporter flags, accepted by procsight):
  procsight [options] -config.path filename.yml
or
  procsight [options] -procnames name1,...,nameN [-namemapping k1,v1,...,kN,vN]

With any of these flags procsight exports process-exporter's namedprocess_namegroup_*
series (same names, labels and units) beside its own, and listens on :9256 unless
-web.listen-address says otherwise. The config file's process_names section is read
unchanged. Differences and procsight's own flags: docs/process-exporter.md and --help.

  -children (default true), -threads (default true), -gather-smaps (default true),
  -recheck, -recheck-with-time-limit D, -remove-empty-groups, -once-to-stdout-delay D,
  -procfs PATH, -debug, -version, -web.listen-address, -web.telemetry-path, -web.config.file
`;
}
