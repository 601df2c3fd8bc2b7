import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { appSettings, correlations, exporterError, exporterServes, type CorrelationReport } from '../../api/exporter';
import { drilldownUrl } from '../../utils/utils.routing';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

type State =
  | { kind: 'loading' }
  | { kind: 'unavailable'; why: string }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; report: CorrelationReport };

/** "30 s before", "15 s after", "at the same time": when the other series moved, relative to the bottleneck's signal. */
export function lagText(seconds: number): string {
  if (seconds === 0) {
    return 'at the same time';
  }
  return `${Math.abs(seconds)} s ${seconds > 0 ? 'before' : 'after'}`;
}

/**
 * The drilldown's correlation hints: the series that moved most with the
 * group's bottleneck signal over the last hour (the exporter's
 * /api/v1/correlations, through the app's plugin route). Only the exporter
 * of the configuration page answers, so other hosts' groups say so instead.
 */
export function CorrelationsView({ instance, group }: ScopeProps) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    if (!group) {
      return;
    }
    let live = true;
    const set = (s: State) => live && setState(s);
    appSettings().then(async (settings) => {
      if (!exporterServes(settings, instance)) {
        set({
          kind: 'unavailable',
          why: settings.exporterUrl
            ? `The configured exporter serves ${settings.exporterInstance}, not ${instance}.`
            : 'Set the exporter URL on the app configuration page to see them.',
        });
        return;
      }
      await correlations(group).then(
        (report) => set({ kind: 'ready', report }),
        (e: unknown) => set({ kind: 'error', message: exporterError(e) })
      );
    });
    return () => {
      live = false;
    };
  }, [instance, group]);

  const title = <h4>Moved together (a hint, not a cause)</h4>;
  if (state.kind === 'loading') {
    return <LoadingPlaceholder text="Loading correlation hints…" />;
  }
  if (state.kind === 'unavailable') {
    return (
      <div>
        {title}
        <p data-testid={testIds.correlations.unavailable}>
          Correlation hints come from the exporter&apos;s API. {state.why}
        </p>
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <Alert severity="error" title="Cannot load correlation hints">
        {state.message}
      </Alert>
    );
  }
  const { report } = state;
  if (report.signal === null || report.correlations.length === 0) {
    return (
      <div>
        {title}
        <p data-testid={testIds.correlations.none}>
          {report.signal === null
            ? `${group} has no bottleneck whose signal to compare.`
            : `Nothing moved with ${group}'s ${report.signal} over the last hour.`}
        </p>
      </div>
    );
  }
  return (
    <div>
      {title}
      <p>
        What moved with {group}&apos;s {report.signal} over the last {Math.round(report.window_seconds / 60)} minutes,
        strongest first. Series that follow the same outside load move together without one causing the other; the
        &quot;slowed by&quot; list names causes.
      </p>
      <table data-testid={testIds.correlations.table}>
        <thead>
          <tr>
            <th>series</th>
            <th>signal</th>
            <th>strength</th>
            <th>moved</th>
          </tr>
        </thead>
        <tbody>
          {report.correlations.map((c) => (
            <tr key={`${c.source}|${c.group}|${c.signal}`} data-testid={testIds.correlations.row}>
              <td>
                {c.source === 'host' ? (
                  'host'
                ) : c.group === group ? (
                  'this group'
                ) : (
                  <a href={drilldownUrl(c.group ?? '', instance)}>{c.group}</a>
                )}
              </td>
              <td>{c.signal}</td>
              <td>{c.strength.toFixed(2)}</td>
              <td>{lagText(c.lag_seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
