/**
 * The catalog's tiny template language, pure (the plugin uses it too):
 * {{group}}, {{severity}} (percent), {{culprit}} (the group that explains
 * most of the wait, when one is named), {{evidence.<feature>.text}},
 * {{evidence.<feature>.value}}. Unknown placeholders render empty; a
 * sentence that cites evidence of which the bottleneck has none is left out
 * (no dangling ". Until the leak is fixed …" when a time to exhaustion is unknown).
 */
export interface RenderContext {
  group: string;
  severity: number;
  evidence: ReadonlyArray<{ feature: string; value: number; text: string }>;
  /** The top culprit's group, when a culprit is named. */
  culprit?: string;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const EVIDENCE = /^evidence\.(\w+)\.(text|value)$/;

export function renderTemplate(template: string, ctx: RenderContext): string {
  return template
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => {
      const cited = [...sentence.matchAll(PLACEHOLDER)].map((m) => EVIDENCE.exec(m[1])?.[1]).filter((f): f is string => f !== undefined);
      return cited.length === 0 || cited.some((f) => ctx.evidence.some((e) => e.feature === f));
    })
    .join(' ')
    .replace(PLACEHOLDER, (_all, path: string) => {
      if (path === 'group') return ctx.group;
      if (path === 'culprit') return ctx.culprit ?? '';
      if (path === 'severity') return `${Math.round(ctx.severity * 100)}%`;
      const m = EVIDENCE.exec(path);
      if (!m) return '';
      const e = ctx.evidence.find((x) => x.feature === m[1]);
      if (!e) return '';
      return m[2] === 'text' ? e.text : String(Number.isInteger(e.value) ? e.value : Number(e.value.toPrecision(4)));
    })
    .replace(/\s+([.,:;])/g, '$1')
    .trim();
}
