import { SceneQueryRunner, type SceneObject } from '@grafana/scenes';
import { overviewPage } from './overview/overviewPage';
import { explorerPage } from './explorer/explorerPage';
import { forecastsPage } from './forecasts/forecastsPage';
import { suggestionsPage } from './suggestions/suggestionsPage';
import { q } from '../queries/promql';
import { VariablesReact } from '../scenes/VariablesReact';
import { AccuracyTable } from '../components/Forecasts/AccuracyTable';
import { ExhaustionTable } from '../components/Forecasts/ExhaustionTable';

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
    expect(all).toEqual(expect.arrayContaining([q.topCpu({}), q.topMemory({}), q.topIo({}), q.activeByKind({}), q.anomalyHeatmap({})]));
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
      const instanceVar = vars.find((v) => v.state.name === 'instance') as unknown as { state: { query: { query: string } } };
      expect(instanceVar.state.query.query).toBe('label_values(procsight_build_info, host)');
      const views = reactViews(scene);
      expect(views.every((v) => v.state.instanceLabel === 'host')).toBe(true);
    }
    const overview = overviewPage(opts);
    expect(queries(overview.state.getScene!(overview as never)).find((x) => x.expr.startsWith('topk'))?.legendFormat).toBe('{{group}} on {{host}}');
    const forecasts = forecastsPage(opts);
    const group = forecasts.state.getScene!(forecasts as never).state.$variables!.state.variables.find((v) => v.state.name === 'group') as unknown as { state: { query: { query: string } } };
    expect(group.state.query.query).toBe('label_values(procsight_forecast{host=~"$instance"}, group)');
  });

  it('pages have the routes the alerts and the plugin.json use', () => {
    expect(overviewPage().state.url).toBe('/a/procsight-analyzer-app/overview');
    expect(explorerPage().state.url).toBe('/a/procsight-analyzer-app/explorer');
    expect(explorerPage().state.drilldowns?.[0].routePath).toBe(':group');
    expect(suggestionsPage().state.url).toBe('/a/procsight-analyzer-app/suggestions');
    expect(forecastsPage().state.url).toBe('/a/procsight-analyzer-app/forecasts');
  });

  it('forecasts page draws the selected horizon ahead of now with a negative offset on a range ending in the future', () => {
    const page = forecastsPage({ datasourceUid: 'prom' });
    const getScene = page.state.getScene;
    if (!getScene) {
      throw new Error('page has no getScene');
    }
    const scene = getScene(page as never);
    const all = exprs(scene);
    expect(all.filter((e) => e.includes('offset -${horizon}') && e.includes('horizon="${horizon}"')).map((e) => /bound="(\w+)"/.exec(e)?.[1])).toEqual(['lower', 'mean', 'upper']);
    expect(scene.state.$timeRange?.state.to).toBe('now+6h');
    // The horizons are whatever the exporter forecasts for the selected group and resource.
    const horizon = scene.state.$variables!.state.variables.find((v) => v.state.name === 'horizon') as unknown as { state: { query: { query: string } } };
    expect(horizon.state.query.query).toBe('label_values(procsight_forecast{instance=~"$instance",group="$group",resource="$resource"}, horizon)');
  });

  it('forecasts page shows the selected forecast\'s accuracy at every horizon next to the exhaustion list', () => {
    const page = forecastsPage({ datasourceUid: 'prom' });
    const scene = page.state.getScene!(page as never);
    expect(reactViews(scene).map((v) => v.state.view)).toEqual([AccuracyTable, ExhaustionTable]);
  });
});
