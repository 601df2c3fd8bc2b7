import {
  dataLayers,
  SceneDataLayerControls,
  SceneDataLayerSet,
  sceneGraph,
  SceneQueryRunner,
  VizPanel,
  type SceneObject,
} from '@grafana/scenes';
import { ANOMALY_THRESHOLD } from '@procsight/contract';
import { overviewPage } from './overview/overviewPage';
import { explorerPage } from './explorer/explorerPage';
import { forecastsPage } from './forecasts/forecastsPage';
import { suggestionsPage } from './suggestions/suggestionsPage';
import { actionsPage } from './actions/actionsPage';
import { q } from '../queries/promql';
import { VariablesReact } from '../scenes/VariablesReact';
import { AccuracyTable } from '../components/Forecasts/AccuracyTable';
import { ExhaustionTable } from '../components/Forecasts/ExhaustionTable';
import { refreshAnnotations } from '../scenes/annotations';

/** Collects the queries (PromQL and legend) of every query runner in a scene tree. */
function queries(root: SceneObject): Array<{ expr: string; legendFormat?: string }> {
  const out: Array<{ expr: string; legendFormat?: string }> = [];
  const walk = (o: SceneObject) => {
    if (o instanceof SceneQueryRunner) {
      for (const query of o.state.queries) {
        const r = query as unknown as Record<string, unknown>;
        out.push({ expr: String(r.expr), legendFormat: r.legendFormat as string | undefined });
      }
    }
    o.forEachChild(walk);
  };
  walk(root);
  return out;
}

/** The React views (VariablesReact) in a scene tree. */
function reactViews(root: SceneObject): VariablesReact[] {
  const out: VariablesReact[] = [];
  const walk = (o: SceneObject) => {
    if (o instanceof VariablesReact) {
      out.push(o);
    }
    o.forEachChild(walk);
  };
  walk(root);
  return out;
}

/** The PromQL of every query runner in a scene tree. */
function exprs(root: SceneObject): string[] {
  return queries(root).map((x) => x.expr);
}

describe('app pages (Scenes)', () => {
  it('overview queries top groups, bottlenecks by kind and the anomaly heat map on ${ds} and $instance', () => {
    const page = overviewPage({ datasourceUid: 'prom' });
    const getScene = page.state.getScene;
    if (!getScene) {
      throw new Error('page has no getScene');
    }
    const scene = getScene(page as never);
    const all = exprs(scene);
    expect(all).toEqual(
      expect.arrayContaining([q.topCpu({}), q.topMemory({}), q.topIo({}), q.activeByKind({}), q.anomalyHeatmap({})])
    );
    const vars = scene.state.$variables!.state.variables.map((v) => v.state.name);
    expect(vars).toEqual(['ds', 'instance']);
  });

  it('overview shows top groups per instance, labelled with group and instance', () => {
    const page = overviewPage({ datasourceUid: 'prom' });
    const scene = page.state.getScene!(page as never);
    const top = queries(scene).filter((x) => [q.topCpu({}), q.topMemory({}), q.topIo({})].includes(x.expr));
    expect(top).toHaveLength(3);
    for (const t of top) {
      expect(t.expr).toMatch(/^topk by \(instance\) \(10, sum by \(instance, group\)/);
      expect(t.legendFormat).toBe('{{group}} on {{instance}}');
    }
  });

  it('every page selects, groups and lists hosts by the configured instance label', () => {
    const opts = { datasourceUid: 'prom', instanceLabel: 'host' };
    const explorer = explorerPage(opts);
    const drilldown = explorer.state.drilldowns![0].getPage({ params: { group: 'api' } } as never, explorer);
    for (const page of [overviewPage(opts), explorer, drilldown, suggestionsPage(opts), forecastsPage(opts)]) {
      const scene = page.state.getScene!(page as never);
      const all = queries(scene);
      for (const x of all) {
        expect(x.expr).not.toMatch(/\binstance\s*=|by \(instance|\{\{instance\}\}/);
        expect(x.legendFormat ?? '').not.toContain('{{instance}}');
      }
      if (all.length > 0) {
        expect(all.some((x) => x.expr.includes('host=~"$instance"'))).toBe(true);
      }
      const vars = scene.state.$variables!.state.variables;
      const instanceVar = vars.find((v) => v.state.name === 'instance') as unknown as {
        state: { query: { query: string } };
      };
      expect(instanceVar.state.query.query).toBe('label_values(procsight_build_info, host)');
      const views = reactViews(scene);
      expect(views.every((v) => v.state.instanceLabel === 'host')).toBe(true);
    }
    const overview = overviewPage(opts);
    expect(
      queries(overview.state.getScene!(overview as never)).find((x) => x.expr.startsWith('topk'))?.legendFormat
    ).toBe('{{group}} on {{host}}');
    const forecasts = forecastsPage(opts);
    const group = forecasts.state.getScene!(forecasts as never).state.$variables!.state.variables.find(
      (v) => v.state.name === 'group'
    ) as unknown as { state: { query: { query: string } } };
    expect(group.state.query.query).toBe('label_values(procsight_forecast{host=~"$instance"}, group)');
  });

  it("the drilldown marks the group's operator feedback on its panels: an annotation layer on the built-in Grafana data source, filtered by tags", () => {
    const explorer = explorerPage({ datasourceUid: 'prom' });
    const drilldown = explorer.state.drilldowns![0].getPage({ params: { group: 'conn-pooler' } } as never, explorer);
    const scene = drilldown.state.getScene!(drilldown as never);
    const set = scene.state.$data;
    expect(set).toBeInstanceOf(SceneDataLayerSet);
    expect((set as SceneDataLayerSet).state.name).toBe('Operator feedback');
    const layers = (set as SceneDataLayerSet).state.layers;
    expect(layers).toHaveLength(1);
    const layer = layers[0] as dataLayers.AnnotationsDataLayer;
    expect(layer).toBeInstanceOf(dataLayers.AnnotationsDataLayer);
    expect(layer.state.isEnabled).toBe(true);
    expect(layer.state.name).toBe('Operator feedback');
    // Grafana's "-- Grafana --" data source, "Filter by: Tags": annotations carrying every tag (feedback is tagged by api/annotations.ts).
    expect(layer.state.query).toEqual(
      expect.objectContaining({
        datasource: { type: 'grafana', uid: 'grafana' },
        enable: true,
        target: expect.objectContaining({
          type: 'tags',
          tags: ['procsight', 'group:conn-pooler'],
          matchAny: false,
          limit: 100,
        }),
      })
    );
    // The layer's toggle is in the controls, as a dashboard shows its annotation toggles.
    expect(scene.state.controls!.some((c) => c instanceof SceneDataLayerControls)).toBe(true);
    // The panels below take their annotations from it (Scenes merges the layers above a query runner).
    const walk = (o: SceneObject, out: SceneQueryRunner[]) => {
      if (o instanceof SceneQueryRunner) {
        out.push(o);
      }
      o.forEachChild((c) => walk(c, out));
      return out;
    };
    const runners = walk(scene, []);
    expect(runners.length).toBeGreaterThan(0);
    for (const r of runners) {
      expect(sceneGraph.getDataLayers(r)).toEqual([set]);
    }
    // Feedback sent from a view inside the scene refreshes the time range (the layer runs again on it, up to the new "now").
    const refresh = jest.spyOn(scene.state.$timeRange!, 'onRefresh').mockImplementation(() => undefined);
    refreshAnnotations(reactViews(scene)[0]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("the drilldown draws each signal's adaptive band behind it (upper filled down to lower) and the anomaly scores against the detector's threshold", () => {
    const explorer = explorerPage({ datasourceUid: 'prom' });
    const drilldown = explorer.state.drilldowns![0].getPage({ params: { group: 'api' } } as never, explorer);
    const scene = drilldown.state.getScene!(drilldown as never);
    const all = queries(scene);
    for (const signal of ['cpu', 'memory', 'io_read', 'io_write', 'fds', 'context_switches'] as const) {
      expect(all).toContainEqual({
        expr: q.groupBand({}, 'api', signal),
        legendFormat: expect.stringMatching(/^usual .+ \{\{bound\}\}$/),
      });
    }
    const panels: VizPanel[] = [];
    const walk = (o: SceneObject) => {
      if (o instanceof VizPanel) {
        panels.push(o);
      }
      o.forEachChild(walk);
    };
    walk(scene);
    const memory = panels.find((p) => p.state.title === 'api: memory')!;
    const fill = memory.state.fieldConfig.overrides
      .flatMap((o) => o.properties)
      .find((p) => p.id === 'custom.fillBelowTo');
    expect(fill?.value).toBe('usual resident lower');
    const scores = panels.find((p) => p.state.title === 'api: anomaly scores')!;
    expect(scores.state.fieldConfig.defaults.thresholds?.steps.map((st) => st.value)).toEqual([
      -Infinity,
      ANOMALY_THRESHOLD,
    ]);
    expect(scores.state.fieldConfig.defaults.max).toBe(1);
  });

  it('only the drilldown has an annotation layer; feedback elsewhere does not refresh the page', () => {
    const opts = { datasourceUid: 'prom' };
    for (const page of [overviewPage(opts), explorerPage(opts), suggestionsPage(opts), forecastsPage(opts)]) {
      expect(page.state.getScene!(page as never).state.$data).toBeUndefined();
    }
    const page = suggestionsPage(opts);
    const scene = page.state.getScene!(page as never);
    const refresh = jest.spyOn(scene.state.$timeRange!, 'onRefresh').mockImplementation(() => undefined);
    refreshAnnotations(reactViews(scene)[0]);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('pages have the routes the alerts and the plugin.json use', () => {
    expect(overviewPage().state.url).toBe('/a/procsight-analyzer-app/overview');
    expect(explorerPage().state.url).toBe('/a/procsight-analyzer-app/explorer');
    expect(explorerPage().state.drilldowns?.[0].routePath).toBe(':group');
    expect(suggestionsPage().state.url).toBe('/a/procsight-analyzer-app/suggestions');
    expect(forecastsPage().state.url).toBe('/a/procsight-analyzer-app/forecasts');
    expect(actionsPage().state.url).toBe('/a/procsight-analyzer-app/actions');
  });

  it('the actions page reads the exporter (no Prometheus query, no variable)', () => {
    const page = actionsPage();
    const scene = page.state.getScene!(page as never);
    expect(exprs(scene)).toEqual([]);
    expect(scene.state.$variables).toBeUndefined();
  });

  it('forecasts page draws the selected horizon ahead of now with a negative offset on a range ending in the future', () => {
    const page = forecastsPage({ datasourceUid: 'prom' });
    const getScene = page.state.getScene;
    if (!getScene) {
      throw new Error('page has no getScene');
    }
    const scene = getScene(page as never);
    const all = exprs(scene);
    expect(
      all
        .filter((e) => e.includes('offset -${horizon}') && e.includes('horizon="${horizon}"'))
        .map((e) => /bound="(\w+)"/.exec(e)?.[1])
    ).toEqual(['lower', 'mean', 'upper']);
    expect(scene.state.$timeRange?.state.to).toBe('now+6h');
    // The horizons are whatever the exporter forecasts for the selected group and resource.
    const horizon = scene.state.$variables!.state.variables.find((v) => v.state.name === 'horizon') as unknown as {
      state: { query: { query: string } };
    };
    expect(horizon.state.query.query).toBe(
      'label_values(procsight_forecast{instance=~"$instance",group="$group",resource="$resource"}, horizon)'
    );
  });

  it("forecasts page shows the selected forecast's accuracy at every horizon next to the exhaustion list", () => {
    const page = forecastsPage({ datasourceUid: 'prom' });
    const scene = page.state.getScene!(page as never);
    expect(reactViews(scene).map((v) => v.state.view)).toEqual([AccuracyTable, ExhaustionTable]);
  });
});
