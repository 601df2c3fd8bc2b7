import React from 'react';
import { render, screen } from '@testing-library/react';
import { EvidenceView, EVIDENCE_QUERIES } from './EvidenceView';
import { EMPTY, fakeBackendSrv } from '../../../tests/fixtures/replay';
import recorded from '../../../tests/fixtures/recorded.json';

let backend: ReturnType<typeof fakeBackendSrv>;
jest.mock('@grafana/runtime', () => ({ getBackendSrv: () => backend }));

const only = (group: string, json: { data: { result: Array<{ metric: Record<string, string> }> } }) => ({
  status: 'success',
  data: { resultType: 'vector', result: json.data.result.filter((r) => r.metric.group === group) },
});

describe('EvidenceView (recorded severity and confidence)', () => {
  it("shows the group's labels with severity and confidence, and the rule inputs now", async () => {
    const qs = EVIDENCE_QUERIES('.+', 'leaky-cache');
    backend = fakeBackendSrv((_p, params) => {
      if (params.query === qs.severity) {
        return only('leaky-cache', recorded.instant.bottlenecks as never);
      }
      if (params.query === qs.confidence) {
        return only('leaky-cache', recorded.instant.confidence as never);
      }
      if (params.query === qs.rss) {
        return { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, '104857600'] }] } };
      }
      return EMPTY;
    });
    render(<EvidenceView datasourceUid="prom" instance=".+" group="leaky-cache" />);
    expect(await screen.findByText('memory_leak')).toBeInTheDocument();
    expect(screen.getByText(/confidence 100%/)).toBeInTheDocument();
    expect(screen.getByText(/Resident memory 100 MiB/)).toBeInTheDocument();
  });
});

describe('EvidenceView queries', () => {
  it('select hosts by the configured instance label', () => {
    const qs = EVIDENCE_QUERIES('a|b', 'api', 'host');
    for (const expr of Object.values(qs)) {
      expect(expr).toContain('host=~"a|b",group="api"');
      expect(expr).not.toContain('instance=');
    }
  });
});
