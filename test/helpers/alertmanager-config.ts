/**
 * alert-rules/alertmanager.yml ships its remediation route, receiver and
 * inhibitions commented out between `# >>> remediation` and `# <<< remediation`.
 * This uncomments their YAML lines (a `#` followed by `-` or indentation;
 * the explanatory comments, which start with a word, stay comments) and
 * points them at a given exporter.
 */
export function enableRemediation(text: string, opts: { instance?: string; url?: string } = {}): string {
  let inside = false;
  const out = text.split('\n').map((line) => {
    if (/#\s*>>> remediation/.test(line)) {
      inside = true;
      return line;
    }
    if (/#\s*<<< remediation/.test(line)) {
      inside = false;
      return line;
    }
    return inside ? line.replace(/^(\s*)# ([- ])/, '$1$2') : line;
  });
  let result = out.join('\n');
  if (opts.instance) result = result.replace('instance="localhost:9556"', `instance="${opts.instance}"`);
  if (opts.url) result = result.replace('http://localhost:9556/api/v1/alertmanager', `${opts.url}/api/v1/alertmanager`);
  return result;
}
