import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { escapeLabel } from '../../queries/promql';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { DEFAULT_INSTANCE_LABEL } from '../../constants';
import { ANOMALY_THRESHOLD, fmtBytes } from '@procsight/contract';

interface Evidence {
  bottlenecks: Array<{ kind: string; severity: number; confidence: number | null }>;
  anomalies: Array<{ signal: string; score: number }>;
  values: Array<{ label: string; value: string }>;
}

/** Evidence from the series alone: labels with severity and confidence, the anomalous signals (at or above the detector's threshold), the rule inputs now. */
export const EVIDENCE_QUERIES = (instance: string, group: string, instanceLabel = DEFAULT_INSTANCE_LABEL) => {
  const s = `${instanceLabel}=~"${escapeLabel(instance)}",group="${escapeLabel(group)}"`;
  return {
    severity: `procsight_bottleneck{${s}}`,
    confidence: `procsight_bottleneck_confidence{${s}}`,
    anomalies: `sort_desc(procsight_anomaly_score{${s}} >= ${ANOMALY_THRESHOLD})`,
    cpu: `sum(rate(procsight_group_cpu_seconds_total{${s}}[2m]))`,
    rss: `sum(procsight_group_memory_bytes{${s},type="resident"})`,
    fdRatio: `max(procsight_group_fd_limit_ratio{${s}})`,
    threads: `sum(procsight_group_threads{${s}})`,
    switches: `sum(rate(procsight_group_context_switches_total{${s},type="voluntary"}[2m]))`,
    wait: `sum(rate(procsight_group_cpu_wait_seconds_total{${s}}[2m]))`,
  };
};

export function EvidenceView({ datasourceUid, instance, instanceLabel, group }: ScopeProps) {
  const [state, setState] = useState<{ error?: string; data?: Evidence } | null>(null);
  useEffect(() => {
    if (!group) {
      return;
    }
    const qs = EVIDENCE_QUERIES(instance, group, instanceLabel);
    const one = (query: string) => instant(datasourceUid, query).then((r) => r[0]?.value ?? null);
    Promise.all([
      instant(datasourceUid, qs.severity),
      instant(datasourceUid, qs.confidence),
      instant(datasourceUid, qs.anomalies),
      one(qs.cpu),
      one(qs.rss),
      one(qs.fdRatio),
      one(qs.threads),
      one(qs.switches),
      one(qs.wait),
    ]).then(
      ([sev, conf, anom, cpu, rss, fd, threads, sw, wait]) => {
        const c = new Map(conf.map((x) => [x.metric.kind, x.value]));
        const values: Evidence['values'] = [];
        if (cpu !== null) {
          values.push({ label: 'CPU', value: `${cpu.toFixed(2)} cores` });
        }
        if (rss !== null) {
          values.push({ label: 'Resident memory', value: fmtBytes(rss) });
        }
        if (fd !== null) {
          values.push({ label: 'Worst fd / limit', value: `${Math.round(fd * 100)}%` });
        }
        if (threads !== null) {
          values.push({ label: 'Threads', value: String(threads) });
        }
        if (sw !== null) {
          values.push({ label: 'Voluntary switches', value: `${Math.round(sw)}/s` });
        }
        if (wait !== null) {
          values.push({ label: 'Run-queue wait', value: `${wait.toFixed(2)} s/s` });
        }
        setState({
          data: {
            bottlenecks: sev
              .map((x) => ({ kind: x.metric.kind, severity: x.value, confidence: c.get(x.metric.kind) ?? null }))
              .sort((a, b) => b.severity - a.severity),
            anomalies: anom.map((x) => ({ signal: x.metric.signal, score: x.value })),
            values,
          },
        });
      },
      (e: unknown) => setState({ error: errorMessage(e) })
    );
  }, [datasourceUid, instance, instanceLabel, group]);
  if (!group) {
    return null;
  }
  if (!state) {
    return <LoadingPlaceholder text="Loading evidence…" />;
  }
  if (state.error || !state.data) {
    return (
      <Alert severity="error" title="Cannot load evidence">
        {state.error}
      </Alert>
    );
  }
  const d = state.data;
  return (
    <section data-testid="data-testid evidence">
      <h4>Evidence for {group}</h4>
      <ul>
        {d.bottlenecks.map((b) => (
          <li key={b.kind}>
            <b>{b.kind}</b>: severity {Math.round(b.severity * 100)}%
            {b.confidence === null ? '' : `, confidence ${Math.round(b.confidence * 100)}%`}
          </li>
        ))}
        {d.bottlenecks.length === 0 && <li>No active bottleneck.</li>}
        {d.anomalies.map((a) => (
          <li key={a.signal}>
            unusual {a.signal}: anomaly score {a.score.toFixed(2)}
          </li>
        ))}
      </ul>
      <p>{d.values.map((v) => `${v.label} ${v.value}`).join(' · ')}</p>
      <p>
        Full evidence sentences (feature, value, baseline, threshold): the exporter&apos;s GET
        /api/v1/bottlenecks?group={group}.
      </p>
      <p>
        Series that moved with its bottleneck&apos;s signal (a hint, not a cause): the exporter&apos;s GET
        /api/v1/correlations?group={group}.
      </p>
    </section>
  );
}
