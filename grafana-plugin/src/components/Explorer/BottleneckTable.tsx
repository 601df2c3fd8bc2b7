import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, range, errorMessage } from '../../api/prometheus';
import { hostLabel, q } from '../../queries/promql';
import { bottleneckRows, culpritsByGroup, culpritsFor, type BottleneckRow, type CulpritRow } from '../../data/shape';
import { BOTTLENECK_KINDS } from '@procsight/contract';
import { drilldownUrl } from '../../utils/utils.routing';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

/** Culprits of a row: each links to its own drilldown, with the share of the wait it explains. */
function Culprits({ list, instance }: { list: CulpritRow[]; instance: string }) {
  if (list.length === 0) {
    return <>—</>;
  }
  return (
    <>
      {list.map((c, i) => (
        <span key={c.culprit}>
          {i > 0 ? ', ' : ''}
          <a href={drilldownUrl(c.culprit, instance)}>{c.culprit}</a> ({Math.round(c.share * 100)}%)
        </span>
      ))}
    </>
  );
}

/** Ranked table of current bottlenecks across the fleet, filterable by kind, with links to the drilldown; the culprits named for waits. */
export function BottleneckTable({ datasourceUid, instance, instanceLabel }: ScopeProps) {
  const [state, setState] = useState<{
    loading: boolean;
    error?: string;
    rows: BottleneckRow[];
    culprits: Map<string, CulpritRow[]>;
  }>({ loading: true, rows: [], culprits: new Map() });
  const [kind, setKind] = useState<string>('');
  useEffect(() => {
    const scope = { instanceRegex: instance, instanceLabel };
    const end = Math.floor(Date.now() / 1000);
    Promise.all([
      instant(datasourceUid, q.bottlenecks(scope)),
      instant(datasourceUid, q.bottleneckConfidence(scope)),
      range(datasourceUid, q.bottlenecks(scope), end - 6 * 3600, end, 30),
      instant(datasourceUid, q.contention(scope)),
    ]).then(
      ([sev, conf, hist, cont]) =>
        setState({
          loading: false,
          rows: bottleneckRows(sev, conf, hist, hostLabel(scope)),
          culprits: culpritsByGroup(cont, hostLabel(scope)),
        }),
      (e: unknown) => setState({ loading: false, rows: [], culprits: new Map(), error: errorMessage(e) })
    );
  }, [datasourceUid, instance, instanceLabel]);

  if (state.loading) {
    return <LoadingPlaceholder text="Loading bottlenecks…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load bottlenecks">
        {state.error}
      </Alert>
    );
  }
  const rows = state.rows.filter((r) => !kind || r.kind === kind);
  return (
    <div>
      <div style={{ maxWidth: 320, marginBottom: 8 }}>
        <select aria-label="Bottleneck kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="">All kinds</option>
          {BOTTLENECK_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      {rows.length === 0 ? (
        <p data-testid={testIds.explorer.empty}>No active bottleneck{kind ? ` of kind ${kind}` : ''}.</p>
      ) : (
        <table data-testid={testIds.explorer.table} style={{ width: '100%' }}>
          <thead>
            <tr>
              <th align="left">instance</th>
              <th align="left">group</th>
              <th align="left">kind</th>
              <th align="right">severity</th>
              <th align="left">since</th>
              <th align="right">confidence</th>
              <th align="left" title="Neighbours named as causing the wait, with the share of it each explains">
                culprit
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.instance}|${r.group}|${r.kind}`} data-testid={testIds.explorer.row}>
                <td>{r.instance}</td>
                <td>
                  <a href={drilldownUrl(r.group, r.instance)}>{r.group}</a>
                </td>
                <td>{r.kind}</td>
                <td align="right">{Math.round(r.severity * 100)}%</td>
                <td>{r.since ? new Date(r.since * 1000).toISOString().replace('T', ' ').slice(0, 19) : '—'}</td>
                <td align="right">{r.confidence === null ? '—' : `${Math.round(r.confidence * 100)}%`}</td>
                <td data-testid={testIds.explorer.culprit}>
                  <Culprits list={culpritsFor(r, state.culprits)} instance={r.instance} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
