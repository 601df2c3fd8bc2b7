/**
 * The suggestion catalog's data (titles and steps of each action), read as
 * plain JSON: the commands name an action by the `action` label of
 * procsight_suggestion and need its first step for the status check.
 */
import catalogJson from '../analyse/advice/catalog.json';

interface CatalogEntry {
  id: string;
  title: string;
  steps: string[];
}

const ACTIONS = new Map<string, CatalogEntry>();
for (const list of Object.values((catalogJson as { kinds: Record<string, CatalogEntry[]> }).kinds)) {
  for (const a of list) ACTIONS.set(a.id, a);
}

export function catalogAction(id: string): CatalogEntry | null {
  return ACTIONS.get(id) ?? null;
}
