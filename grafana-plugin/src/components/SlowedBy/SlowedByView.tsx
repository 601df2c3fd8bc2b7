import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { hostLabel, q } from '../../queries/promql';
import { culpritsByGroup, type CulpritRow } from '../../data/shape';
import { drilldownUrl } from '../../utils/utils.routing';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

/** What each contention resource is a wait for, as the list says it. */
const WAIT: Record<string, string> = { cpu: 'CPU run-queue wait', io: 'storage wait', memory: 'major faults (memory)' };

/**
 * The drilldown's "slowed by" list: the neighbours the exporter names as
 * causing part of this group's waits (procsight_contention), largest share
 * first, each linking to its own drilldown.
 */
export function SlowedByView({ datasourceUid, instance, instanceLabel, group }: ScopeProps) {
  const [state, setState] = useState<{
    loading: boolean;
    error?: string;
    rows: Array<CulpritRow & { instance: string }>;
  }>({ loading: true, rows: [] });
  useEffect(() => {
    if (!group) {
      return;
    }
    const scope = { instanceRegex: instance, instanceLabel };
    instant(datasourceUid, q.groupContention(scope, group)).then(
      (samples) => {
        const rows = [...culpritsByGroup(samples, hostLabel(scope)).entries()].flatMap(([k, list]) =>
          list.map((c) => ({ ...c, instance: k.split('\u0000')[0] }))
        );
        setState({ loading: false, rows: rows.sort((a, b) => b.share - a.share) });
      },
      (e: unknown) => setState({ loading: false, rows: [], error: errorMessage(e) })
    );
  }, [datasourceUid, instance, instanceLabel, group]);

  if (state.loading) {
    return <LoadingPlaceholder text="Loading culprits…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load culprits">
        {state.error}
      </Alert>
    );
  }
  return (
    <div>
      <h4>Slowed by</h4>
      {state.rows.length === 0 ? (
        <p data-testid={testIds.slowedBy.none}>
          No neighbour is named as slowing {group} down (a wait with weak evidence names none).
        </p>
      ) : (
        <ul data-testid={testIds.slowedBy.list}>
          {state.rows.map((c) => (
            <li key={`${c.instance}|${c.culprit}|${c.resource}`} data-testid={testIds.slowedBy.item}>
              <a href={drilldownUrl(c.culprit, c.instance)}>{c.culprit}</a>: {Math.round(c.share * 100)}% of its{' '}
              {WAIT[c.resource] ?? c.resource}
              {c.instance ? ` on ${c.instance}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
