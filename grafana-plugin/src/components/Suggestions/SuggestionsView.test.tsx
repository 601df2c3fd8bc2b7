import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SuggestionsView } from './SuggestionsView';
import { EMPTY, fakeBackendSrv, recordedFor, recordedInstance } from '../../../tests/fixtures/replay';
import { evidenceQueries, q } from '../../queries/promql';
import { resetAppSettings } from '../../api/exporter';
import { testIds } from '../testIds';
import { of } from 'rxjs';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => backend,
  getDataSourceSrv: () => ({ getList: () => [], getInstanceSettings: () => undefined }),
}));

const s = { instanceRegex: '.+' };
const table = { bottlenecks: q.bottlenecks(s), confidence: q.bottleneckConfidence(s) };

describe('SuggestionsView (replaying responses recorded from a real Prometheus)', () => {
  it('shows ranked suggestions with rationale, steps, effect and risk', async () => {
    backend = fakeBackendSrv((path, p) => recordedFor(p.query, table) ?? EMPTY);
    render(<SuggestionsView datasourceUid="prom" instance=".+" />);
    const cards = await screen.findAllByTestId(testIds.suggestions.card);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    expect(screen.getAllByText('Take two heap snapshots and diff them').length).toBe(1);
    expect(screen.getAllByText(/Expected effect:/).length).toBe(cards.length);
    expect(screen.getByText(/perf top -p/)).toBeInTheDocument();
  });

  it('fills rationales with evidence measured from the series, "n/a" where there is none', async () => {
    const ev = evidenceQueries(s);
    const vector = (rows: Array<[Record<string, string>, number]>) => ({
      status: 'success',
      data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [0, String(v)] })) },
    });
    backend = fakeBackendSrv((path, p) => {
      if (p.query === ev.rss) {
        return vector([[{ instance: recordedInstance, group: 'leaky-cache' }, 104857600]]);
      }
      if (p.query === ev.rssSlope) {
        return vector([[{ instance: recordedInstance, group: 'leaky-cache' }, 1048576 / 60]]);
      }
      return recordedFor(p.query, table) ?? EMPTY;
    });
    render(<SuggestionsView datasourceUid="prom" instance=".+" />);
    const cards = await screen.findAllByTestId(testIds.suggestions.card);
    expect(
      screen.getByText(/^leaky-cache: RSS grows 1\.0 MiB\/min \(10-min linear fit\); now 100 MiB\./)
    ).toBeInTheDocument();
    // No CPU series answered: the CPU rationale says so instead of leaving a blank.
    expect(screen.getByText(/^video-encoder n\/a: its work is limited by CPU time\./)).toBeInTheDocument();
    for (const c of cards) {
      expect(c.textContent).not.toMatch(/\{\{|\}\}/);
    }
    expect(backend.fetch).toHaveBeenCalledWith(expect.objectContaining({ params: { query: ev.fdRatio } }));
  });

  it('stores feedback as a tagged Grafana annotation and re-ranks', async () => {
    const posted: unknown[] = [];
    backend = fakeBackendSrv((path, p) => recordedFor(p.query, table) ?? EMPTY, { posted });
    const onAnnotationAdded = jest.fn();
    render(
      <SuggestionsView datasourceUid="prom" instance=".+" group="leaky-cache" onAnnotationAdded={onAnnotationAdded} />
    );
    await screen.findAllByTestId(testIds.suggestions.card);
    fireEvent.click(screen.getAllByTestId(testIds.suggestions.notHelpful)[0]);
    await waitFor(() => expect(posted).toHaveLength(1));
    // The scene's annotation layers run again once the annotation is stored, so the mark shows at once.
    await waitFor(() => expect(onAnnotationAdded).toHaveBeenCalledTimes(1));
    const body = posted[0] as { tags: string[]; text: string };
    expect(body.tags).toEqual(
      expect.arrayContaining([
        'procsight',
        'feedback:not_helpful',
        'action:memory_leak.heap_dump',
        'group:leaky-cache',
        'kind:memory_leak',
      ])
    );
    expect(await screen.findByTestId(testIds.suggestions.sent)).toHaveTextContent('not helpful');
    expect(backend.get).toHaveBeenCalledWith('/api/annotations', expect.objectContaining({ tags: 'procsight' }));
  });

  it('also sends the feedback to the configured exporter through the plugin route, for its instance only', async () => {
    resetAppSettings();
    const posted: unknown[] = [];
    const base = fakeBackendSrv((path, p) => recordedFor(p.query, table) ?? EMPTY, { posted });
    const toExporter: Array<{ url: string; data: unknown }> = [];
    backend = {
      ...base,
      get: jest.fn(async (url: string) =>
        url.startsWith('/api/plugins/')
          ? { jsonData: { exporterUrl: 'http://exporter:9556', exporterInstance: recordedInstance } }
          : []
      ),
      fetch: jest.fn((opts: { url: string; params?: Record<string, string>; data?: unknown }) => {
        if (opts.url.startsWith('/api/plugin-proxy/')) {
          toExporter.push({ url: opts.url, data: opts.data });
          return of({ data: {}, status: 201 });
        }
        return base.fetch(opts);
      }),
    } as unknown as typeof backend;
    render(<SuggestionsView datasourceUid="prom" instance=".+" group="leaky-cache" />);
    await screen.findAllByTestId(testIds.suggestions.card);
    fireEvent.click(screen.getAllByTestId(testIds.suggestions.applied)[0]);
    expect(await screen.findByTestId(testIds.suggestions.exporterSent)).toHaveTextContent(
      'the exporter re-ranks with it'
    );
    expect(toExporter).toEqual([
      {
        url: '/api/plugin-proxy/procsight-analyzer-app/exporter/api/v1/feedback',
        data: { group: 'leaky-cache', kind: 'memory_leak', action: 'memory_leak.heap_dump', verdict: 'applied' },
      },
    ]);
    expect(posted).toHaveLength(1); // the annotation is kept
    resetAppSettings();
  });

  it("shows each action's measured success rate from the exporter's outcome series", async () => {
    const vector = (rows: Array<[Record<string, string>, number]>) => ({
      status: 'success',
      data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [0, String(v)] })) },
    });
    const scope = { instanceRegex: '.+' };
    backend = fakeBackendSrv((path, p) => {
      if (p.query === q.outcomes(scope)) {
        return vector([
          [{ kind: 'memory_leak', action: 'memory_leak.cap_memory', outcome: 'resolved' }, 3],
          [{ kind: 'memory_leak', action: 'memory_leak.cap_memory', outcome: 'persisted' }, 1],
        ]);
      }
      if (p.query === q.severityFall(scope)) {
        return vector([[{ kind: 'memory_leak', action: 'memory_leak.cap_memory' }, 0.42]]);
      }
      return recordedFor(p.query, table) ?? EMPTY;
    });
    render(<SuggestionsView datasourceUid="prom" instance=".+" />);
    const rate = await screen.findByTestId(testIds.suggestions.rate);
    expect(rate).toHaveTextContent(/\(memory_leak\): 75% success, 3 resolved of 4, severity down 42 points on average/);
  });

  it('says so when nothing is active', async () => {
    backend = fakeBackendSrv(() => EMPTY);
    render(<SuggestionsView datasourceUid="prom" instance=".+" />);
    expect(await screen.findByTestId(testIds.suggestions.empty)).toHaveTextContent('No active bottleneck');
  });

  it('shows the error when Prometheus fails', async () => {
    backend = fakeBackendSrv(() => new Error('bad_data: parse error'));
    render(<SuggestionsView datasourceUid="prom" instance=".+" />);
    expect(await screen.findByText('Cannot load suggestions')).toBeInTheDocument();
    expect(screen.getByText(/parse error/)).toBeInTheDocument();
  });
});
