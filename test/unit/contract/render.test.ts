import { type Catalog, renderTemplate, CATALOG } from '@procsight/contract';

const catalog: Catalog = CATALOG;

describe('suggestion templates', () => {
  it('renders rationale templates from evidence; unknown placeholders render empty', () => {
    const ctx = { group: 'api', severity: 0.73, evidence: [{ feature: 'rss_slope_bytes_per_second', value: 52428.8, text: 'RSS grows 3.0 MiB/min' }] };
    expect(renderTemplate('{{group}}: {{evidence.rss_slope_bytes_per_second.text}} ({{severity}})', ctx)).toBe('api: RSS grows 3.0 MiB/min (73%)');
    expect(renderTemplate('{{nope}}x{{group}}', ctx)).toBe('xapi');
  });

  it('leaves out a sentence whose cited evidence is all missing, keeps one with part of it', () => {
    const ctx = { group: 'api', severity: 0.5, evidence: [{ feature: 'fd_limit_ratio', value: 0.9, text: 'uses 90% of its fd limit' }] };
    const capMemory = catalog.kinds.memory_leak.find((a) => a.id === 'memory_leak.cap_memory')!.rationale;
    expect(renderTemplate(capMemory, ctx)).toBe('Until the leak is fixed, a limit keeps the rest of the host safe.');
    expect(renderTemplate('{{group}}: {{evidence.fd_limit_ratio.text}}{{evidence.fd_time_to_limit_seconds.text}}. Next.', ctx)).toBe(
      'api: uses 90% of its fd limit. Next.',
    );
    expect(renderTemplate('{{evidence.missing.text}}x{{nope}}', ctx)).toBe('');
    expect(renderTemplate('First. {{evidence.missing.value}} left out! Last?', ctx)).toBe('First. Last?');
  });
});
