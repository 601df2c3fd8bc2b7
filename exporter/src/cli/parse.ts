import { Command, CommanderError, Option, type OutputConfiguration } from 'commander';
import { ConfigError } from '../errors';
import { parseListenAddress } from '../server/listen';
import { envName, FLAGS, type CliOptions } from './flags';
import { processExporterManual, translateProcessExporterArgs } from './process-exporter';
import { errorMessage } from '../util/error-message';

/** Parses a Prometheus-style duration (`500ms`, `5s`, `1m`, `1h`) into seconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'ms' ? n / 1000 : unit === 's' ? n : unit === 'm' ? n * 60 : n * 3600;
}

export interface ParsedCli {
  options: CliOptions;
  /** --help or --version was printed: exit 0 without starting. */
  exitEarly: boolean;
}

/** Where the parser writes (help, version and, without `writeErr`, errors; default stdout and stderr) and for what terminal. */
export interface CliOutputOptions {
  write?: (s: string) => void;
  writeErr?: (s: string) => void;
  /** Width of the terminal the text will reach (undefined: not a terminal; default: the process's own stdout). */
  terminal?: { columns: number | undefined };
}

/**
 * Parses flags (`--web.listen-address=:9556` or `--web.listen-address :9556`)
 * with PROCSIGHT_* environment fallbacks. Bad values throw ConfigError naming the flag.
 */
export function parseCli(argv: readonly string[], opts: { version: string; env?: NodeJS.ProcessEnv } & CliOutputOptions): ParsedCli {
  // process-exporter's flags (-config.path, -threads …) become procsight's own or its compat options.
  const pe = translateProcessExporterArgs(argv);
  if (pe.man) {
    (opts.write ?? ((s: string) => process.stdout.write(s)))(processExporterManual());
    return { options: defaults(), exitEarly: true };
  }
  argv = pe.argv;
  const cmd = new Command('procsight')
    .description(
      'Per-process Prometheus exporter with bottleneck analysis, suggestions and forecasts.\n\nSubcommands (procsight <subcommand> --help): status, report, capacity, alerts tune; procsight help lists them (docs/cli.md).',
    )
    .version(opts.version, '--version')
    .exitOverride()
    .configureOutput({
      writeOut: opts.write ?? ((s) => process.stdout.write(s)),
      writeErr: opts.writeErr ?? opts.write ?? ((s) => process.stderr.write(s)),
      ...(opts.terminal ? terminalOutput(opts.terminal) : {}),
    })
    .allowExcessArguments(false);
  const byKey = new Map<string, string>();
  for (const f of FLAGS) {
    const o = new Option(f.kind === 'bool' ? `--${f.name} [value]` : `--${f.name} <value>`, f.description).default(f.default);
    if (f.choices) o.choices([...f.choices]);
    cmd.addOption(o);
    byKey.set(o.attributeName(), f.name);
  }
  const env = opts.env ?? process.env;
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')) {
      return { options: defaults(), exitEarly: true };
    }
    throw new ConfigError('flags', errorMessage(e).replace(/^error: /, ''));
  }
  const raw = cmd.opts<Record<string, string | true>>();
  const out: Record<string, unknown> = {};
  for (const f of FLAGS) {
    const attr = [...byKey.entries()].find(([, n]) => n === f.name)?.[0] ?? f.name;
    const fromFlag = cmd.getOptionValueSource(attr) === 'cli';
    const envValue = env[envName(f.name)];
    const value = fromFlag ? raw[attr] : envValue !== undefined && envValue !== '' ? envValue : raw[attr];
    out[f.key] = convert(f.name, f.kind, value === true ? 'true' : (value ?? f.default), f.choices);
  }
  out.processExporter = pe.processExporter;
  return { options: out as unknown as CliOptions, exitEarly: false };
}

function convert(flag: string, kind: string, value: string, choices?: readonly string[]): unknown {
  const where = fromWhere(flag);
  switch (kind) {
    case 'duration': {
      const secs = parseDuration(value);
      if (secs === null) throw new ConfigError(where, `invalid duration ${JSON.stringify(value)} (use e.g. 5s, 1m)`);
      if (flag === 'collect.interval' && (secs < 1 || secs > 60)) throw new ConfigError(where, `must be between 1s and 60s, got ${value}`);
      return secs;
    }
    case 'bool':
      if (['true', '1'].includes(value)) return true;
      if (['false', '0', ''].includes(value)) return false;
      throw new ConfigError(where, `must be true or false, got ${JSON.stringify(value)}`);
    case 'enum':
      if (choices && !choices.includes(value)) throw new ConfigError(where, `must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
      return value;
    case 'url':
      if (value === '') return value;
      try {
        const u = new URL(value);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
      } catch (e) {
        throw new ConfigError(where, `invalid URL ${JSON.stringify(value)} (${errorMessage(e)})`);
      }
      return value.replace(/\/+$/, '');
    default:
      if (flag === 'web.listen-address' && parseListenAddress(value) === null) {
        throw new ConfigError(where, `invalid listen address ${JSON.stringify(value)} (use host:port, e.g. :9556 or 127.0.0.1:9556)`);
      }
      if (flag === 'web.telemetry-path' && !/^\/[\w./-]*$/.test(value))
        throw new ConfigError(where, `must be a path starting with /, got ${JSON.stringify(value)}`);
      return value;
  }
}

function fromWhere(flag: string): string {
  return `--${flag} (or ${envName(flag)})`;
}

/** The flags' defaults as options. */
export function defaults(): CliOptions {
  const out: Record<string, unknown> = {};
  for (const f of FLAGS) out[f.key] = convert(f.name, f.kind, f.default, f.choices);
  return out as unknown as CliOptions;
}

/** Commander's help width for a terminal the parser cannot see (it runs in a worker thread: cli/isolated.ts); 80 when not a terminal, as Commander does. */
function terminalOutput(t: { columns: number | undefined }): Pick<OutputConfiguration, 'getOutHelpWidth' | 'getErrHelpWidth'> {
  return { getOutHelpWidth: () => t.columns ?? 80, getErrHelpWidth: () => t.columns ?? 80 };
}
