import type { Exposition, ExpositionFormat } from '../expose/registry';

/**
 * The exposition text is rendered at most once per collection generation and
 * format; every scrape in between gets the same string. Scrapes stay cheap
 * (no per-scrape serialisation of thousands of series) and never collect.
 */
export class MetricsCache {
  private readonly entries = new Map<ExpositionFormat, { generation: number; body: Promise<string> }>();

  constructor(
    private readonly exposition: Exposition,
    private readonly generation: () => number,
  ) {}

  get(format: ExpositionFormat): Promise<string> {
    const gen = this.generation();
    const hit = this.entries.get(format);
    if (hit && hit.generation === gen) return hit.body;
    const body = this.exposition.render(format);
    this.entries.set(format, { generation: gen, body });
    // A failed render is not cached.
    body.catch(() => this.entries.delete(format));
    return body;
  }
}
