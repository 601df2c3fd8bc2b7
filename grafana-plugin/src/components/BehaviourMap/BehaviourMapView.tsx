import React, { useEffect, useState } from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { instant, errorMessage } from '../../api/prometheus';
import { hostLabel, q } from '../../queries/promql';
import { mapPoints, type MapPoint } from '../../data/shape';
import { drilldownUrl } from '../../utils/utils.routing';
import type { ScopeProps } from '../../scenes/VariablesReact';
import { testIds } from '../testIds';

const WIDTH = 640;
const HEIGHT = 360;
const PAD = 24;
const COLOURS = ['#5794F2', '#73BF69', '#FADE2A', '#FF9830', '#B877D9', '#8AB8FF', '#F2495C', '#96D98D'];

/** Places the points in the SVG's box (the map's axes have no unit: PCA of standardised features). */
function scale(points: MapPoint[]): (p: MapPoint) => { cx: number; cy: number } {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (WIDTH - 2 * PAD) / Math.max(x1 - x0, 1e-9);
  const sy = (HEIGHT - 2 * PAD) / Math.max(y1 - y0, 1e-9);
  return (p) => ({ cx: PAD + (p.x - x0) * sx, cy: HEIGHT - PAD - (p.y - y0) * sy });
}

/**
 * The behaviour map: every group at its 2-D coordinates (PCA of its
 * behaviour), coloured by its behaviour cluster; a group out of its usual
 * cluster is ringed in red, an unfamiliar one (novelty score) drawn as a
 * square. A click opens the group's drilldown.
 */
export function BehaviourMapView({ datasourceUid, instance, instanceLabel }: ScopeProps) {
  const [state, setState] = useState<{ loading: boolean; error?: string; points: MapPoint[] }>({
    loading: true,
    points: [],
  });
  useEffect(() => {
    const scope = { instanceRegex: instance, instanceLabel };
    Promise.all(
      [q.profileCoordinates(scope), q.profileCluster(scope), q.profileUsualCluster(scope), q.novelty(scope)].map(
        (query) => instant(datasourceUid, query)
      )
    ).then(
      ([coordinates, cluster, usual, novelty]) =>
        setState({ loading: false, points: mapPoints({ coordinates, cluster, usual, novelty }, hostLabel(scope)) }),
      (e: unknown) => setState({ loading: false, points: [], error: errorMessage(e) })
    );
  }, [datasourceUid, instance, instanceLabel]);

  if (state.loading) {
    return <LoadingPlaceholder text="Loading the behaviour map…" />;
  }
  if (state.error) {
    return (
      <Alert severity="error" title="Cannot load the behaviour map">
        {state.error}
      </Alert>
    );
  }
  if (state.points.length === 0) {
    return (
      <p data-testid={testIds.map.empty}>
        No behaviour map yet: the exporter places groups once it has profiled them for a few minutes.
      </p>
    );
  }
  const at = scale(state.points);
  return (
    <div>
      <h4>Behaviour map</h4>
      <svg
        data-testid={testIds.map.svg}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label="Behaviour map of the groups"
      >
        {state.points.map((p) => {
          const { cx, cy } = at(p);
          const fill = p.cluster === null ? '#888888' : COLOURS[p.cluster % COLOURS.length];
          const stroke = p.left ? '#F2495C' : 'none';
          const title = `${p.group} on ${p.instance}: cluster ${p.cluster ?? '?'}${p.left ? `, usually ${p.usualCluster}` : ''}${p.unfamiliar ? ', unfamiliar' : ''}`;
          return (
            <a
              key={`${p.instance}|${p.group}`}
              href={drilldownUrl(p.group, p.instance)}
              data-testid={testIds.map.point}
              data-left={p.left}
              data-unfamiliar={p.unfamiliar}
            >
              <title>{title}</title>
              {p.unfamiliar ? (
                <rect x={cx - 6} y={cy - 6} width={12} height={12} fill={fill} stroke={stroke} strokeWidth={3} />
              ) : (
                <circle cx={cx} cy={cy} r={6} fill={fill} stroke={stroke} strokeWidth={3} />
              )}
              <text x={cx + 9} y={cy + 4} fontSize={11} fill="currentColor">
                {p.group}
              </text>
            </a>
          );
        })}
      </svg>
      <p>
        Colour: behaviour cluster. Red ring: out of its usual cluster. Square: unfamiliar (novelty score). Click a group
        for its drilldown.
      </p>
    </div>
  );
}
