import recorded from '../../tests/fixtures/recorded.json';
import { BOTTLENECK_KINDS, CATALOG } from '@procsight/contract';
import { bottleneckRows, suggestionCards } from './shape';
import {
  evidenceFor,
  featuresOfKind,
  NOT_AVAILABLE,
  seriesForKinds,
  templateFeatures,
  type EvidenceSamples,
} from './evidence';
import type { Sample } from '../api/prometheus';

const toSamples = (r: {
  data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}): Sample[] => r.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));

const host = recorded.instance;
const at = (group: string | null, value: number, extra: Record<string, string> = {}): Sample => ({
  metric: { instance: host, ...(group ? { group } : {}), ...extra },
  value,
});

/** Evidence series as Prometheus would answer them for the recorded groups (the recording predates the evidence queries). */
const SAMPLES: EvidenceSamples = {
  cpu: [at('video-encoder', 0.998), at('conn-pooler', 0.01), at('leaky-cache', 0.02)],
  rss: [at('leaky-cache', 104857600)],
  rssSlope: [at('leaky-cache', 1048576 / 60)],
  hostAvailable: [at(null, 8 * 2 ** 30)],
  fdRatio: [at('conn-pooler', 0.9)],
  fdSlope: [at('conn-pooler', 20)],
};

/** Rendered text is complete: no template syntax, no blank where a placeholder was. */
function expectComplete(text: string): void {
  expect(text).not.toMatch(/\{\{|\}\}/);
  expect(text).not.toMatch(/NaN|undefined|null/);
  expect(text).not.toMatch(/\s{2,}|\(\s*\)|:\s*[.,;]|[,;]\s*[.)]|^[\s.,:;]/);
}

describe('evidence for rationale templates', () => {
  it("reads the features each kind's templates name", () => {
    expect(
      templateFeatures('{{group}}: {{evidence.fd_limit_ratio.text}}{{evidence.fd_time_to_limit_seconds.text}}.')
    ).toEqual(['fd_limit_ratio', 'fd_time_to_limit_seconds']);
    expect(featuresOfKind(CATALOG, 'memory_leak')).toEqual([
      'rss_slope_bytes_per_second',
      'time_to_host_memory_exhaustion_seconds',
    ]);
    expect(seriesForKinds(CATALOG, ['memory_leak']).sort()).toEqual(['hostAvailable', 'rss', 'rssSlope']);
  });

  it('renders every catalog action of every kind (those acting on a culprit only once one is named) with no placeholder left and "n/a" for each feature Prometheus does not give', () => {
    for (const kind of BOTTLENECK_KINDS) {
      const cards = suggestionCards(
        [{ instance: host, group: 'api', kind, severity: 0.8, confidence: null, since: null }],
        {},
        99
      );
      expect(cards).toHaveLength(CATALOG.kinds[kind].filter((a) => !('needs_culprit' in a && a.needs_culprit)).length);
      for (const c of cards) {
        const template = CATALOG.kinds[kind].find((a) => a.id === c.action)!.rationale;
        expectComplete(c.rationale);
        [c.expectedEffect, ...c.steps].forEach((t) => expect(t).not.toMatch(/\{\{/));
        expect(c.rationale.split(NOT_AVAILABLE).length - 1).toBe(templateFeatures(template).length);
      }
    }
  });

  it("fills the recorded bottlenecks' rationales from the series", () => {
    const rows = bottleneckRows(
      toSamples(recorded.instant.bottlenecks as never),
      toSamples(recorded.instant.confidence as never)
    );
    const cards = suggestionCards(rows, {}, 3, { samples: SAMPLES });
    const by = (action: string) => cards.find((c) => c.action === action)!.rationale;
    expect(by('memory_leak.heap_dump')).toBe(
      'leaky-cache: RSS grows 1.0 MiB/min (10-min linear fit); now 100 MiB. Steady linear growth is the signature of objects that are never released.'
    );
    expect(by('memory_leak.cap_memory')).toMatch(
      /^at this rate host available memory \(8\.0 GiB\) is gone in 5\.7 d\./
    );
    expect(by('fd_exhaustion.find_leaked_fds')).toBe(
      'conn-pooler: worst process holds 90% of its open-files limit; open fds grow 20.0/s (5-min linear fit).'
    );
    expect(by('cpu_saturation.profile_hot_path')).toMatch(
      /^video-encoder uses 1\.00 cores \(2-min mean\): its work is limited by CPU time\./
    );
    cards.forEach((c) => expectComplete(c.rationale));
  });

  it('uses the configured instance label to match samples to a host', () => {
    const relabelled: EvidenceSamples = { fdRatio: [{ metric: { host: 'h1', group: 'db' }, value: 0.95 }] };
    const [ratio] = evidenceFor(CATALOG, 'fd_exhaustion', 'h1', 'db', relabelled, 'host');
    expect(ratio.text).toBe('worst process holds 95% of its open-files limit');
    expect(evidenceFor(CATALOG, 'fd_exhaustion', 'h2', 'db', relabelled, 'host')[0].text).toBe(NOT_AVAILABLE);
  });
});
