/**
 * Types of the suggestion catalog (catalog.json). Pure: no Node imports, so
 * the Grafana plugin imports this module, the JSON and rank.ts as they are.
 */
import type { BottleneckKind } from '../../types';

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
}

export interface Catalog {
  version: number;
  template_language: string;
  kinds: Record<BottleneckKind, CatalogAction[]>;
}
