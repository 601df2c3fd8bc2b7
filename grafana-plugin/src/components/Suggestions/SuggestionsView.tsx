import React, { useEffect, useState } from 'react';
import { Alert, Badge, Button, LoadingPlaceholder, Stack } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { listFeedback, postFeedback, type FeedbackKind } from '../../api/annotations';
import { evidenceQueries, hostLabel, q, type Scope } from '../../queries/promql';
import { CATALOG } from '@procsight/contract';
import { bottleneckRows, efficacy, feedbackCounts, suggestionCards, type BottleneckRow, type Efficacy, type SuggestionCard } from '../../data/shape';
import { seriesForKinds, type EvidenceSamples } from '../../data/evidence';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

interface Loaded {
  cards: SuggestionCard[];
  efficacy: Efficacy[];
}

const EFFICACY_WINDOW_S = 30 * 60;

/** The evidence series the rows' kinds need (rationale templates), one instant query each. */
async function loadEvidence(uid: string, scope: Scope, rows: BottleneckRow[]): Promise<EvidenceSamples> {
  const queries = evidenceQueries(scope);
  const needed = seriesForKinds(CATALOG, new Set(rows.map((r) => r.kind)));
  const results = await Promise.all(needed.map((name) => instant(uid, queries[name])));
  return Object.fromEntries(needed.map((name, i) => [name, results[i]]));
}

async function load(p: ScopeProps, perBottleneck: number): Promise<Loaded> {
  const scope = { instanceRegex: p.instance, instanceLabel: p.instanceLabel };
  const [sev, conf, notes] = await Promise.all([instant(p.datasourceUid, q.bottlenecks(scope)), instant(p.datasourceUid, q.bottleneckConfidence(scope)), listFeedback()]);
  let rows = bottleneckRows(sev, conf, [], hostLabel(scope));
  if (p.group) {rows = rows.filter((r) => r.group === p.group);}
  const samples = await loadEvidence(p.datasourceUid, scope, rows);
  const cards = suggestionCards(rows, feedbackCounts(notes), perBottleneck, { samples, instanceLabel: hostLabel(scope) });
  // Measured efficacy: for "applied" feedback, severity then and 30 minutes later.
  const now = Date.now() / 1000;
  const applied = notes.filter((n) => n.tags.includes('feedback:applied'));
  const measured = await Promise.all(
    applied.slice(0, 20).map(async (n) => {
      const tag = (k: string) => n.tags.find((t) => t.startsWith(`${k}:`))?.slice(k.length + 1) ?? '';
      const at = n.time / 1000;
      const expr = q.severityAt(tag('instance'), tag('group'), tag('kind'), p.instanceLabel);
      const before = (await instant(p.datasourceUid, expr, at))[0]?.value ?? 0;
      const after = at + EFFICACY_WINDOW_S <= now ? ((await instant(p.datasourceUid, expr, at + EFFICACY_WINDOW_S))[0]?.value ?? 0) : null;
      return { action: tag('action'), group: tag('group'), instance: tag('instance'), appliedAt: n.time, before, after };
    }),
  );
  return { cards, efficacy: efficacy(measured.filter((m) => !p.group || m.group === p.group)) };
}

/** Ranked suggestions with rationale, runbook steps, effect and risk; feedback buttons; measured efficacy. */
export function SuggestionsView(props: ScopeProps & { perBottleneck?: number; compact?: boolean }) {
  const [state, setState] = useState<{ error?: string; data?: Loaded } | null>(null);
  const [version, setVersion] = useState(0);
  const [sent, setSent] = useState<Record<string, FeedbackKind>>({});
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
    await postFeedback({ kind, action: c.action, bottleneck: c.kind, group: c.group, instance: c.instance, title: c.title });
    setSent((s) => ({ ...s, [`${c.instance}|${c.group}|${c.action}`]: kind }));
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
      {cards.length === 0 && <p data-testid={testIds.suggestions.empty}>No active bottleneck{group ? ` for ${group}` : ''}: nothing to suggest.</p>}
      {cards.map((c) => {
        const key = `${c.instance}|${c.group}|${c.action}`;
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
                {c.steps.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ol>
            )}
            <p>
              <b>Expected effect:</b> {c.expectedEffect} <b>Risk:</b> {c.risk}
            </p>
            <Stack gap={1}>
              <Button size="sm" variant="secondary" icon="thumbs-up" onClick={() => feedback(c, 'helpful')} data-testid={testIds.suggestions.helpful}>
                Helpful
              </Button>
              <Button size="sm" variant="secondary" icon="times" onClick={() => feedback(c, 'not_helpful')} data-testid={testIds.suggestions.notHelpful}>
                Not helpful
              </Button>
              <Button size="sm" variant="primary" icon="check" onClick={() => feedback(c, 'applied')} data-testid={testIds.suggestions.applied}>
                Applied
              </Button>
              {sent[key] && <span data-testid={testIds.suggestions.sent}>Recorded: {sent[key].replace('_', ' ')}</span>}
            </Stack>
          </section>
        );
      })}
      {!compact && (state.data?.efficacy.length ?? 0) > 0 && (
        <section data-testid={testIds.suggestions.efficacy}>
          <h4>Measured efficacy of applied actions</h4>
          <ul>
            {state.data!.efficacy.map((e, i) => (
              <li key={i}>
                {e.action} on {e.group} ({new Date(e.appliedAt).toISOString()}): severity {Math.round(e.before * 100)}% →{' '}
                {e.after === null ? 'measured 30 minutes after' : `${Math.round(e.after * 100)}% — ${e.improved ? 'improved' : 'not improved'}`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
