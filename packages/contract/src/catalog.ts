/** The suggestion catalog (catalog.json): runbook actions per bottleneck kind. */
import type { BottleneckKind } from './kinds';
import catalogJson from './catalog.json';

export interface CatalogAction {
  id: string;
  title: string;
  /** Template: see catalog.json `template_language`. */
  rationale: string;
  steps: string[];
  expected_effect: string;
  risk: string;
  /** Prior usefulness in [0, 1]. */
  prior: number;
  /** The action acts on the culprit ({{culprit}}): offered only when one is named. */
  needs_culprit?: boolean;
}

export interface Catalog {
  version: number;
  template_language: string;
  kinds: Record<BottleneckKind, CatalogAction[]>;
}

/** The catalog procsight ships. */
export const CATALOG = catalogJson as unknown as Catalog;

/** The kind whose catalog entry holds `action`, or null for an id the catalog does not have. */
export function kindOfAction(catalog: Catalog, action: string): BottleneckKind | null {
  for (const [kind, actions] of Object.entries(catalog.kinds) as Array<[BottleneckKind, CatalogAction[]]>)
    if (actions.some((a) => a.id === action)) return kind;
  return null;
}
