/** Escapes text for HTML (everything the landing page echoes goes through it). */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** The landing page: name, version and links, in the exporter family's style. */
export function landingPage(opts: { version: string; telemetryPath: string }): string {
  const v = escapeHtml(opts.version);
  const m = escapeHtml(opts.telemetryPath);
  const links: Array<[string, string]> = [
    [m, 'Metrics'],
    ['/api/v1/groups', 'Groups (JSON)'],
    ['/api/v1/bottlenecks', 'Bottlenecks (JSON)'],
    ['/api/v1/anomalies', 'Anomalies (JSON)'],
    ['/api/v1/suggestions', 'Suggestions (JSON)'],
    ['/api/v1/profiles', 'Behaviour profiles (JSON)'],
    ['/api/v1/patterns', 'Workload patterns (JSON)'],
    ['/api/v1/forecasts', 'Forecasts (JSON)'],
    ['/healthz', 'Health'],
    ['/readyz', 'Readiness'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>procsight exporter</title></head>
<body>
<h1>procsight exporter</h1>
<p>Version ${v}. Per-process metrics, bottlenecks, suggestions and forecasts for Prometheus.</p>
<ul>
${links.map(([href, text]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`).join('\n')}
</ul>
</body></html>
`;
}
