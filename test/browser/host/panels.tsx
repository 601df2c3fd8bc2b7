/**
 * STAND-INS for Grafana's core panel plugins (timeseries, bargauge,
 * statushistory, …): they live in Grafana's app, not in an npm package, so
 * the host renders the frames a panel receives as a small SVG chart plus a
 * legend with each series' display name (computed by @grafana/data, as the
 * real panels do), point count and last value. Enough to see and assert that
 * a panel got real data; the look of Grafana's panels is not reproduced.
 * Annotations the panel receives (`data.annotations`, from the scene's
 * annotation layers) are drawn as vertical marks, each with its time, text
 * and tags, as Grafana's time-series panel marks them on its x axis.
 */
import React from 'react';
import { getFieldDisplayName, FieldType, PanelPlugin, PluginType, type PanelProps, type PanelPluginMeta } from '@grafana/data';

/**
 * Core panels that declare annotation (and alert state) support, as Grafana's
 * do with `setDataSupport`: Scenes' VizPanel hands `data.annotations` only to
 * these (timeseries: annotations and alert states; state-timeline: annotations).
 */
const DATA_SUPPORT: Record<string, { annotations: boolean; alertStates: boolean }> = {
  timeseries: { annotations: true, alertStates: true },
  'state-timeline': { annotations: true, alertStates: false },
};

export const CORE_PANELS = [
  'timeseries',
  'bargauge',
  'status-history',
  'state-timeline',
  'table',
  'stat',
  'gauge',
  'heatmap',
  'barchart',
  'piechart',
  'histogram',
  'text',
];

interface Line {
  name: string;
  points: Array<[number, number]>;
}

function lines(props: PanelProps): Line[] {
  const out: Line[] = [];
  for (const frame of props.data.series) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) continue;
      const points: Array<[number, number]> = [];
      for (let i = 0; i < field.values.length; i++) {
        const v = Number(field.values[i]);
        if (Number.isFinite(v)) points.push([time ? Number(time.values[i]) : i, v]);
      }
      out.push({ name: getFieldDisplayName(field, frame, props.data.series), points });
    }
  }
  return out;
}

interface Mark {
  time: number;
  text: string;
  tags: string[];
  color?: string;
}

/** The annotation events in a panel's `data.annotations` frames (time, text, tags fields, as Scenes' layers build them). */
function marks(props: PanelProps): Mark[] {
  const out: Mark[] = [];
  for (const frame of props.data.annotations ?? []) {
    const field = (name: string) => frame.fields.find((f) => f.name === name);
    const time = field('time');
    if (!time) continue;
    for (let i = 0; i < frame.length; i++) {
      const tags = field('tags')?.values[i] as string[] | string | undefined;
      out.push({
        time: Number(time.values[i]),
        text: String(field('text')?.values[i] ?? ''),
        tags: Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? tags.split(',') : [],
        color: field('color')?.values[i] as string | undefined,
      });
    }
  }
  return out;
}

const COLOURS = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a'];

function CorePanelStandIn(props: PanelProps & { kind: string }) {
  const ls = lines(props);
  const ms = marks(props);
  const w = Math.max(100, props.width);
  const h = Math.max(40, props.height - 24 - Math.min(ls.length, 6) * 16);
  const from = props.timeRange.from.valueOf();
  const to = props.timeRange.to.valueOf();
  const all = ls.flatMap((l) => l.points.map((p) => p[1]));
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const x = (t: number) => ((t - from) / Math.max(1, to - from)) * w;
  const y = (v: number) => h - ((v - lo) / (hi - lo || 1)) * (h - 4) - 2;
  return (
    <div
      data-testid="standin-panel"
      data-kind={props.kind}
      data-series={ls.length}
      data-annotations={ms.length}
      style={{ width: w, height: props.height, overflow: 'hidden', fontSize: 11 }}
    >
      <svg width={w} height={h} role="img" aria-label={`${props.kind} chart`}>
        {ls.map((l, i) => (
          <polyline
            key={l.name + i}
            fill="none"
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={1.5}
            points={l.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
        {ms.map((m, i) => (
          <line
            key={`${m.time}-${i}`}
            data-testid="standin-annotation"
            data-time={m.time}
            data-text={m.text}
            data-tags={m.tags.join(',')}
            x1={x(m.time)}
            x2={x(m.time)}
            y1={0}
            y2={h}
            stroke={m.color ?? '#5794f2'}
            strokeWidth={2}
            strokeDasharray="4 2"
          >
            <title>{m.text}</title>
          </line>
        ))}
      </svg>
      <div>
        {ls.map((l, i) => (
          <div
            key={l.name + i}
            data-testid="standin-series"
            data-name={l.name}
            data-points={l.points.length}
            style={{ color: COLOURS[i % COLOURS.length], whiteSpace: 'nowrap' }}
          >
            ▬ {l.name} ({l.points.length} points, last {l.points.length ? l.points[l.points.length - 1][1].toPrecision(4) : '—'})
          </div>
        ))}
        {ls.length === 0 ? <div data-testid="standin-no-data">No data</div> : null}
      </div>
    </div>
  );
}

const cache = new Map<string, PanelPlugin>();

/** A core panel stand-in as a PanelPlugin with the meta Grafana gives core panels. */
export function corePanelStandIn(id: string): PanelPlugin {
  let plugin = cache.get(id);
  if (!plugin) {
    plugin = new PanelPlugin((props: PanelProps) => <CorePanelStandIn {...props} kind={id} />);
    const meta: PanelPluginMeta = {
      id,
      name: `${id} (stand-in)`,
      type: PluginType.panel,
      module: `core:plugin/${id}`,
      baseUrl: `public/app/plugins/panel/${id}`,
      sort: 0,
      info: {
        author: { name: 'Grafana Labs' },
        description: 'stand-in',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '13.1.0',
      },
    };
    plugin.meta = meta;
    if (DATA_SUPPORT[id]) plugin.setDataSupport(DATA_SUPPORT[id]);
    cache.set(id, plugin);
  }
  return plugin;
}
