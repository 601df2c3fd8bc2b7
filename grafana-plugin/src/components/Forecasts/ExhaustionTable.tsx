import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, type Sample, errorMessage } from '../../api/prometheus';
import { hostLabel, q } from '../../queries/promql';
import { formatSeconds } from '../../data/shape';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

interface Row {
  instance: string;
  group: string;
  resource: string;
  limit: string;
  /** Crossing of the mean path; null when only the pessimistic bound crosses. */
  seconds: number | null;
  earliest: number | null;
  mase: number | null;
  coverage: number | null;
}

/** Time-to-exhaustion, soonest first, with each forecast's measured accuracy. */
export function ExhaustionTable({ datasourceUid, instance, instanceLabel }: ScopeProps) {
  const [state, setState] = useState<{ loading: boolean; error?: string; rows: Row[] }>({ loading: true, rows: [] });
  useEffect(() => {
    const s = { instanceRegex: instance, instanceLabel };
    const host = hostLabel(s);
    const key = (m: Record<string, string>) => `${m[host]}|${m.group}|${m.resource}`;
    Promise.all([
      instant(datasourceUid, q.exhaustion(s)),
      instant(datasourceUid, q.exhaustionEarliest(s)),
      instant(datasourceUid, q.maseByForecast(s)),
      instant(datasourceUid, q.coverageByForecast(s)),
    ]).then(
      ([mean, earliest, mase, cov]: Sample[][]) => {
        const m = new Map(mase.map((x) => [key(x.metric), x.value]));
        const c = new Map(cov.map((x) => [key(x.metric), x.value]));
        // A row per crossing of either bound: the pessimistic bound may cross when the mean does not.
        const rows = new Map<string, Row>();
        const row = (x: Sample): Row => {
          const id = `${key(x.metric)}|${x.metric.limit}`;
          let r = rows.get(id);
          if (!r) {
            r = {
              instance: x.metric[host] ?? '',
              group: x.metric.group,
              resource: x.metric.resource,
              limit: x.metric.limit,
              seconds: null,
              earliest: null,
              mase: m.get(key(x.metric)) ?? null,
              coverage: c.get(key(x.metric)) ?? null,
            };
            rows.set(id, r);
          }
          return r;
        };
        mean.forEach((x) => (row(x).seconds = x.value));
        earliest.forEach((x) => (row(x).earliest = x.value));
        const soonest = (r: Row) => r.seconds ?? r.earliest ?? Infinity;
        const sorted = [...rows.values()].sort((a, b) => soonest(a) - soonest(b));
        setState({ loading: false, rows: sorted });
      },
      (err: unknown) => setState({ loading: false, rows: [], error: errorMessage(err) })
    );
  }, [datasourceUid, instance, instanceLabel]);
  if (state.loading) {
    return <LoadingPlaceholder text="Loading forecasts…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load forecasts">
        {state.error}
      </Alert>
    );
  }
  if (state.rows.length === 0) {
    return <p data-testid={testIds.forecasts.empty}>No resource is forecast to run out within the longest horizon.</p>;
  }
  return (
    <table data-testid={testIds.forecasts.exhaustion} style={{ width: '100%' }}>
      <thead>
        <tr>
          <th align="left">instance</th>
          <th align="left">group</th>
          <th align="left">resource</th>
          <th align="left">limit</th>
          <th align="right">runs out in</th>
          <th align="right">earliest</th>
          <th align="right">MASE (worst horizon)</th>
          <th align="right">coverage (worst horizon)</th>
        </tr>
      </thead>
      <tbody>
        {state.rows.map((r) => (
          <tr key={`${r.instance}|${r.group}|${r.resource}|${r.limit}`} data-testid={testIds.forecasts.row}>
            <td>{r.instance}</td>
            <td>{r.group}</td>
            <td>{r.resource}</td>
            <td>{r.limit}</td>
            <td align="right">{r.seconds === null ? 'not on the mean path' : formatSeconds(r.seconds)}</td>
            <td align="right">{r.earliest === null ? '—' : formatSeconds(r.earliest)}</td>
            <td align="right">{r.mase === null ? '—' : r.mase.toFixed(2)}</td>
            <td align="right">{r.coverage === null ? '—' : `${Math.round(r.coverage * 100)}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
