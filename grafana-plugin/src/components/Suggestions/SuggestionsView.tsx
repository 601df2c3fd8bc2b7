import React, { useEffect, useState } from 'react';
import { Alert, Badge, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { listFeedback, postFeedback, type FeedbackKind } from '../../api/annotations';
import { appSettings, exporterError, exporterServes, sendFeedback } from '../../api/exporter';
import { evidenceQueries, hostLabel, q, type Scope } from '../../queries/promql';
import { CATALOG } from '@procsight/contract';
import {
  bottleneckRows,
  feedbackCounts,
  feedbackPerHost,
  successRates,
  suggestionCards,
  type BottleneckRow,
  type SuccessRate,
  type SuggestionCard,
} from '../../data/shape';
import { seriesForKinds, type EvidenceSamples } from '../../data/evidence';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

interface Loaded {
  cards: SuggestionCard[];
  rates: SuccessRate[];
}

/** The evidence series the rows' kinds need (rationale templates), one instant query each. */
async function loadEvidence(uid: string, scope: Scope, rows: BottleneckRow[]): Promise<EvidenceSamples> {
  const queries = evidenceQueries(scope);
  const needed = seriesForKinds(CATALOG, new Set(rows.map((r) => r.kind)));
  const results = await Promise.all(needed.map((name) => instant(uid, queries[name])));
  return Object.fromEntries(needed.map((name, i) => [name, results[i]]));
}

async function load(p: ScopeProps, perBottleneck: number): Promise<Loaded> {
  const scope = { instanceRegex: p.instance, instanceLabel: p.instanceLabel };
  const [sev, conf, notes, outcomes, falls] = await Promise.all([
    instant(p.datasourceUid, q.bottlenecks(scope)),
    instant(p.datasourceUid, q.bottleneckConfidence(scope)),
    listFeedback(),
    instant(p.datasourceUid, q.outcomes(scope)),
    instant(p.datasourceUid, q.severityFall(scope)),
  ]);
  let rows = bottleneckRows(sev, conf, [], hostLabel(scope));
  if (p.group) {
    rows = rows.filter((r) => r.group === p.group);
  }
  const samples = await loadEvidence(p.datasourceUid, scope, rows);
  // Measured efficacy is the exporter's (it watches each applied action for 30 minutes). The list sums the selected
  // hosts; each host's cards rank with its own outcomes, as its exporter ranks them.
  const rates = successRates(outcomes, falls);
  const feedback = feedbackPerHost(feedbackCounts(notes), outcomes, hostLabel(scope));
  const cards = suggestionCards(rows, feedback, perBottleneck, {
    samples,
    instanceLabel: hostLabel(scope),
  });
  return { cards, rates };
}

/** What became of one feedback click: the annotation, and whether the exporter took it. */
interface Sent {
  kind: FeedbackKind;
  /** `sent`, `not-configured` (no exporter URL, or another instance's suggestion), or the exporter's error. */
  exporter: string;
}

/** Ranked suggestions with rationale, runbook steps, effect and risk; feedback buttons; measured efficacy. */
export function SuggestionsView(props: ScopeProps & { perBottleneck?: number; compact?: boolean }) {
  const [state, setState] = useState<{ error?: string; data?: Loaded } | null>(null);
  const [version, setVersion] = useState(0);
  const [sent, setSent] = useState<Record<string, Sent>>({});
  const { datasourceUid, instance, instanceLabel, group, perBottleneck = 3, compact = false } = props;

  useEffect(() => {
    if (!datasourceUid) {
      return;
    }
    load({ datasourceUid, instance, instanceLabel, group }, perBottleneck).then(
      (data) => setState({ data }),
      (e: unknown) => setState({ error: errorMessage(e) })
    );
  }, [datasourceUid, instance, instanceLabel, group, perBottleneck, version]);

  const feedback = async (c: SuggestionCard, kind: FeedbackKind) => {
    // The annotation marks the feedback on time-series panels; the exporter's own ranking learns from the same click.
    await postFeedback({
      kind,
      action: c.action,
      bottleneck: c.kind,
      group: c.group,
      instance: c.instance,
      title: c.title,
    });
    let exporter = 'not-configured';
    if (exporterServes(await appSettings(), c.instance)) {
      exporter = await sendFeedback({ group: c.group, kind: c.kind, action: c.action, verdict: kind }).then(
        () => 'sent',
        (e: unknown) => exporterError(e)
      );
    }
    setSent((s) => ({ ...s, [`${c.instance}|${c.group}|${c.action}`]: { kind, exporter } }));
    setVersion((v) => v + 1); // re-rank with the new feedback
    props.onAnnotationAdded?.(); // the new feedback mark on the scene's panels
  };

  if (!datasourceUid) {
    return <Alert severity="warning" title="No Prometheus data source selected" />;
  }
  if (!state) {
    return <LoadingPlaceholder text="Loading suggestions…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load suggestions">
        {state.error}
      </Alert>
    );
  }
  const cards = state.data?.cards ?? [];
  return (
    <div data-testid={testIds.suggestions.container}>
      {cards.length === 0 && (
        <p data-testid={testIds.suggestions.empty}>
          No active bottleneck{group ? ` for ${group}` : ''}: nothing to suggest.
        </p>
      )}
      {cards.map((c) => {
        const key = `${c.instance}|${c.group}|${c.action}`;
        const s = sent[key];
        return (
          <section key={key} data-testid={testIds.suggestions.card} style={{ marginBottom: 16 }}>
            <Stack gap={1} alignItems="center">
              <h4 style={{ margin: 0 }}>{c.title}</h4>
              <Badge text={c.kind} color="orange" />
              <Badge text={`score ${c.score.toFixed(2)}`} color="blue" />
              <span>
                {c.group} on {c.instance}
              </span>
            </Stack>
            <p>{c.rationale}</p>
            {!compact && (
              <ol>
                {c.steps.map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
            )}
            <p>
              <b>Expected effect:</b> {c.expectedEffect} <b>Risk:</b> {c.risk}
            </p>
            <Stack gap={1}>
              <Button
                size="sm"
                variant="secondary"
                icon="thumbs-up"
                onClick={() => feedback(c, 'helpful')}
                data-testid={testIds.suggestions.helpful}
              >
                Helpful
              </Button>
              <Button
                size="sm"
                variant="secondary"
                icon="times"
                onClick={() => feedback(c, 'not_helpful')}
                data-testid={testIds.suggestions.notHelpful}
              >
                Not helpful
              </Button>
              <Button
                size="sm"
                variant="primary"
                icon="check"
                onClick={() => feedback(c, 'applied')}
                data-testid={testIds.suggestions.applied}
              >
                Applied
              </Button>
              {s && (
                <span data-testid={testIds.suggestions.sent}>
                  Recorded: {s.kind.replace('_', ' ')}
                  {s.exporter === 'sent' && (
                    <span data-testid={testIds.suggestions.exporterSent}> · the exporter re-ranks with it</span>
                  )}
                  {s.exporter !== 'sent' && s.exporter !== 'not-configured' && (
                    <span> · the exporter did not take it ({s.exporter})</span>
                  )}
                </span>
              )}
            </Stack>
          </section>
        );
      })}
      {!compact && (state.data?.rates.length ?? 0) > 0 && (
        <section data-testid={testIds.suggestions.efficacy}>
          <h4>Measured efficacy of applied actions</h4>
          <p>
            Whether the bottleneck cleared within 30 minutes of an action marked applied, as the exporter measured it;
            the ranking&apos;s prior per action follows it.
          </p>
          <ul>
            {state.data!.rates.map((r) => (
              <li key={r.action} data-testid={testIds.suggestions.rate}>
                <b>{r.title}</b> ({r.kind}): {Math.round(r.rate * 100)}% success, {r.resolved} resolved of{' '}
                {r.resolved + r.persisted}
                {r.meanFall !== null &&
                  `, severity ${r.meanFall >= 0 ? 'down' : 'up'} ${Math.abs(Math.round(r.meanFall * 100))} points on average`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
