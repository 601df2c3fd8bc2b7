import { type Catalog, BOTTLENECK_KINDS, CATALOG, kindOfAction } from '@procsight/contract';

const catalog: Catalog = CATALOG;

describe('suggestion catalog', () => {
  it('has actions for every bottleneck kind with stable, unique, kind-prefixed ids and concrete steps', () => {
    const ids = new Set<string>();
    for (const kind of BOTTLENECK_KINDS) {
      const actions = catalog.kinds[kind];
      expect(actions.length).toBeGreaterThanOrEqual(2);
      for (const a of actions) {
        expect(a.id.startsWith(`${kind}.`)).toBe(true);
        expect(ids.has(a.id)).toBe(false);
        ids.add(a.id);
        expect(a.steps.length).toBeGreaterThan(0);
        expect(a.steps.some((s) => s.includes('`'))).toBe(true); // a command to run
        expect(a.prior).toBeGreaterThan(0);
        expect(a.prior).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('kindOfAction', () => {
  it('finds the kind whose entry holds an action id, and null for ids the catalog lacks', () => {
    expect(kindOfAction(CATALOG, 'memory_leak.heap_dump')).toBe('memory_leak');
    expect(kindOfAction(CATALOG, 'io_bound.ionice')).toBe('io_bound');
    expect(kindOfAction(CATALOG, 'nope')).toBeNull();
    for (const kind of BOTTLENECK_KINDS) for (const a of CATALOG.kinds[kind]) expect(kindOfAction(CATALOG, a.id)).toBe(kind);
  });
});
