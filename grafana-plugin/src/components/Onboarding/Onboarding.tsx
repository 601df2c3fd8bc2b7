import React from 'react';
import { Alert } from '@grafana/ui';
import { testIds } from '../testIds';

/** What to do when there is no Prometheus data source, or no procsight series in it. */
export function Onboarding({ reason }: { reason: 'no-datasource' | 'no-series' | 'error'; detail?: string }) {
  return (
    <div data-testid={testIds.onboarding.container}>
      {reason === 'no-datasource' ? (
        <Alert severity="info" title="Add a Prometheus data source">
          procsight reads everything from Prometheus. Add one under <b>Connections → Data sources → Prometheus</b> (or
          provision it, see provisioning/datasources in the procsight repository), then choose it on this app&apos;s
          configuration page.
        </Alert>
      ) : (
        <Alert severity="info" title="No procsight series yet">
          The selected Prometheus has no <code>procsight_build_info</code> series. Run the exporter on each host (
          <code>npm start</code>, or the Docker image with <code>--path.procfs=/host/proc</code>) and add it to
          Prometheus:
          <pre>{`scrape_configs:\n  - job_name: procsight\n    static_configs:\n      - targets: ['host-1:9556']`}</pre>
          Series appear after the first scrape; a new group&apos;s anomaly scores and bands after it has been learned
          for 12 minutes.
        </Alert>
      )}
    </div>
  );
}
