/**
 * The commands name an action by the `action` label of procsight_suggestion
 * and need its title and first step from the shared catalog.
 */
import { CATALOG, type CatalogAction } from '@procsight/contract';

const ACTIONS = new Map<string, CatalogAction>(Object.values(CATALOG.kinds).flatMap((list) => list.map((a): [string, CatalogAction] => [a.id, a])));

export function catalogAction(id: string): CatalogAction | null {
  return ACTIONS.get(id) ?? null;
}
