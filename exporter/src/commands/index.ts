/**
 * `procsight <subcommand>`: the operator's command line (docs/cli.md). A pure
 * client of Prometheus's HTTP API and the exporter's JSON API: it imports
 * metric names and the suggestion catalog's data, nothing of collection or analysis.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version';
import { runAlertsTune, describeAlertsTune, type TuneOptions } from './alerts';
import { describeCapacity, runCapacity, type CapacityOptions } from './capacity';
import { processIo, useColour, type CommandIo } from './context';
import { CommandError, EXIT_UNKNOWN, oneLine } from './errors';
import { addOutputOptions, addPrometheusOptions } from './options';
import { describeReport, runReport, type ReportOptions } from './report';
import { describeStatus, runStatus, type StatusOptions } from './status';
import { makeStyle } from './style';

/** Runs one subcommand; resolves to its exit code (errors: one line on stderr, exit 3). */
export async function runCommand(argv: readonly string[], io: CommandIo = processIo()): Promise<number> {
  let code = 0;
  const style = makeStyle(useColour(io));
  const guarded =
    <O extends { json: boolean }>(run: (opts: O) => Promise<number>) =>
    async (opts: O): Promise<void> => {
      try {
        code = await run(opts);
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        if (opts.json) io.stdout(`${JSON.stringify({ status: 'UNKNOWN', exit_code: EXIT_UNKNOWN, error: oneLine(e) })}\n`);
        io.stderr(`procsight: ${oneLine(e)}\n`);
        code = EXIT_UNKNOWN;
      }
    };
  const program = new Command('procsight')
    .description(
      "procsight's command line: status check, reports, capacity plan, alert tuning (docs/cli.md). Without a subcommand procsight runs the exporter: `procsight --help` lists its flags.",
    )
    .version(VERSION, '--version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) =>
        write(
          `procsight: ${s
            .replace(/^error: /, '')
            .split('\n')[0]
            .trim()}\n`,
        ),
    })
    .allowExcessArguments(false);

  addOutputOptions(addPrometheusOptions(describeStatus(program.command('status')), { required: false })).action(
    guarded<StatusOptions>((o) => runStatus(o, io, style)),
  );
  addOutputOptions(addPrometheusOptions(describeReport(program.command('report')), { required: true })).action(
    (period: string, opts: Omit<ReportOptions, 'period'>) => guarded<ReportOptions>((o) => runReport(o, io))({ ...opts, period }),
  );
  addOutputOptions(addPrometheusOptions(describeCapacity(program.command('capacity')), { required: true })).action(
    guarded<CapacityOptions>((o) => runCapacity(o, io, style)),
  );
  const alerts = program.command('alerts').summary('alert tuning: procsight alerts tune').description('Alert rules from history.');
  addOutputOptions(addPrometheusOptions(describeAlertsTune(alerts.command('tune')), { required: true })).action(
    guarded<TuneOptions>((o) => runAlertsTune(o, io, style)),
  );

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_UNKNOWN;
    // Not ours (a bug): still one line and UNKNOWN, so a monitoring check never reads it as OK or CRITICAL.
    io.stderr(`procsight: internal error: ${oneLine(e)}\n`);
    return EXIT_UNKNOWN;
  }
  return code;
}
