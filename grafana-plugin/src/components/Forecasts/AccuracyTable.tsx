import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { hostLabel, q } from '../../queries/promql';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

export interface AccuracyRow {
  instance: string;
  horizon: string;
  mase: number | null;
  coverage: number | null;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds of a Prometheus-style duration label (`15m`, `1h30m`); unknown forms sort last. */
export function horizonSeconds(h: string): number {
  const parts = [...h.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== h) {
    return Number.POSITIVE_INFINITY;
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
}

/** One row per (instance, horizon) with MASE and interval coverage, shortest horizon first. */
function accuracyRows(
  mase: Array<{ metric: Record<string, string>; value: number }>,
  coverage: Array<{ metric: Record<string, string>; value: number }>,
  instanceLabel = 'instance'
): AccuracyRow[] {
  const rows = new Map<string, AccuracyRow>();
  const row = (m: Record<string, string>) => {
    const instance = m[instanceLabel] ?? '';
    const horizon = m.horizon ?? '';
    const key = `${instance}\u0000${horizon}`;
    let r = rows.get(key);
    if (!r) {
      r = { instance, horizon, mase: null, coverage: null };
      rows.set(key, r);
    }
    return r;
  };
  mase.forEach((x) => (row(x.metric).mase = x.value));
  coverage.forEach((x) => (row(x.metric).coverage = x.value));
  return [...rows.values()].sort(
    (a, b) =>
      a.instance.localeCompare(b.instance) ||
      horizonSeconds(a.horizon) - horizonSeconds(b.horizon) ||
      a.horizon.localeCompare(b.horizon)
  );
}

/** Measured accuracy of the selected group's and resource's forecast at every horizon the exporter forecasts. */
export function AccuracyTable({ datasourceUid, instance, instanceLabel, group, resource }: ScopeProps) {
  const [state, setState] = useState<{ for: string; error?: string; rows: AccuracyRow[] } | null>(null);
  const key = `${datasourceUid}|${instance}|${instanceLabel}|${group}|${resource}`;
  useEffect(() => {
    if (!group || !resource) {
      return;
    }
    const s = { instanceRegex: instance, instanceLabel };
    Promise.all([
      instant(datasourceUid, q.mase(s, group, resource)),
      instant(datasourceUid, q.coverage(s, group, resource)),
    ]).then(
      ([mase, cov]) => setState({ for: key, rows: accuracyRows(mase, cov, hostLabel(s)) }),
      (err: unknown) => setState({ for: key, rows: [], error: errorMessage(err) })
    );
  }, [datasourceUid, instance, instanceLabel, group, resource, key]);
  if (!group || !resource) {
    return (
      <p data-testid={testIds.forecasts.accuracyEmpty}>
        Choose a group and a resource to see their forecast&apos;s accuracy.
      </p>
    );
  }
  if (!state || state.for !== key) {
    return <LoadingPlaceholder text="Loading forecast accuracy…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load forecast accuracy">
        {state.error}
      </Alert>
    );
  }
  if (state.rows.length === 0) {
    return (
      <p data-testid={testIds.forecasts.accuracyEmpty}>
        No accuracy measured yet for {group} {resource}: the exporter backtests a forecast once it has enough history.
      </p>
    );
  }
  return (
    <section>
      <h4>
        Accuracy of the {group} {resource} forecast
      </h4>
      <table data-testid={testIds.forecasts.accuracy} style={{ width: '100%' }}>
        <thead>
          <tr>
            <th align="left">instance</th>
            <th align="left">horizon</th>
            <th align="right">MASE (below 1 beats the naive forecast)</th>
            <th align="right">interval coverage (near the band&apos;s level is calibrated)</th>
          </tr>
        </thead>
        <tbody>
          {state.rows.map((r) => (
            <tr key={`${r.instance}|${r.horizon}`} data-testid={testIds.forecasts.accuracyRow}>
              <td>{r.instance}</td>
              <td>{r.horizon}</td>
              <td align="right">{r.mase === null ? '—' : r.mase.toFixed(2)}</td>
              <td align="right">{r.coverage === null ? '—' : `${Math.round(r.coverage * 100)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
