/**
 * Pieces of the bottleneck alerts' annotation templates (Prometheus' Go
 * templates, expanded when the rule is evaluated): the top suggestion read
 * from procsight_suggestion and shown by its catalog title and first step, and
 * the evidence read from procsight_bottleneck_evidence*.
 */
import { CATALOG, type BottleneckKind, type CatalogAction } from '@procsight/contract';

/** Text to print as is inside a Go template: only `{{` would start an action. */
export const literal = (text: string): string => text.replace(/\{\{/g, '{{ "{{" }}');

/** Template text of the top action's id (inside topAction's `unknown`). */
export const ACTION_ID = '{{ $action }}';

/**
 * Template piece: what `show` makes of the top-ranked catalog action of the
 * alert's group and kind (`topk(1, procsight_suggestion{…})` when the rule is
 * evaluated), one branch per action of the kind; `unknown` (template text,
 * may use ACTION_ID) when the exporter ranks an action these rules do not know
 * (its catalog is newer), `none` when it has ranked none.
 */
export const topAction = (kind: BottleneckKind, show: (a: CatalogAction) => string, otherwise: { unknown: string; none: string }): string => {
  const branches = CATALOG.kinds[kind].map((a, i) => `{{ ${i === 0 ? 'if' : 'else if'} eq $action "${a.id}" }}${literal(show(a))}`).join('');
  return (
    `{{ with printf "topk(1, procsight_suggestion{instance=%q,group=%q,kind=%q})" $labels.instance $labels.group "${kind}" | query }}` +
    `{{ $action := . | first | label "action" }}${branches}{{ else }}${otherwise.unknown}{{ end }}{{ else }}${otherwise.none}{{ end }}`
  );
};

/**
 * Template piece: one value in its `unit` label's unit, called as
 * `template "procsight.value" (args <value> <unit>)`: ratios as percent,
 * seconds as a duration, bytes/s in IEC units, anything else as a number (SI
 * prefixes from 1 up, no milli- below: "0.9 cores", not "900m cores") and its unit.
 */
const VALUE_IN_UNIT =
  '{{ define "procsight.value" }}{{ if eq .arg1 "ratio" }}{{ .arg0 | humanizePercentage }}{{ else if eq .arg1 "seconds" }}{{ .arg0 | humanizeDuration }}' +
  '{{ else if eq .arg1 "bytes/s" }}{{ .arg0 | humanize1024 }}B/s{{ else if lt .arg0 1.0 }}{{ printf "%.3g" .arg0 }} {{ .arg1 }}{{ else }}{{ .arg0 | humanize }} {{ .arg1 }}{{ end }}{{ end }}';

/** Selector of one evidence family for the alert's instance, group and `kind` (and the ranged feature when `feature`). */
const evidenceQuery = (family: string, kind: string, feature: boolean): string =>
  `printf "${family}{instance=%q,group=%q,kind=%q${feature ? ',feature=%q' : ''}}" $labels.instance $labels.group "${kind}"${feature ? ' $e.Labels.feature' : ''} | query`;

/**
 * Template of the `evidence` annotation: every feature of procsight_bottleneck_evidence
 * for the alert's instance, group and kind (sorted by feature), with its threshold and,
 * once learned, its usual value: `feature=value (threshold t, usually b); …`.
 */
export const evidence = (kind: string): string =>
  VALUE_IN_UNIT +
  `{{ range $i, $e := ${evidenceQuery('procsight_bottleneck_evidence', kind, false)} | sortByLabel "feature" }}{{ if $i }}; {{ end }}` +
  `{{ $e.Labels.feature }}={{ template "procsight.value" (args $e.Value $e.Labels.unit) }}` +
  `{{ with ${evidenceQuery('procsight_bottleneck_evidence_threshold', kind, true)} }} (threshold {{ template "procsight.value" (args (. | first | value) $e.Labels.unit) }}` +
  `{{ with ${evidenceQuery('procsight_bottleneck_evidence_baseline', kind, true)} }}, usually {{ template "procsight.value" (args (. | first | value) $e.Labels.unit) }}{{ end }}){{ end }}` +
  `{{ else }}none exported{{ end }}`;
