/**
 * The catalog's tiny template language, pure (the plugin uses it too):
 * {{group}}, {{severity}} (percent), {{evidence.<feature>.text}},
 * {{evidence.<feature>.value}}. Unknown placeholders render empty.
 */
export interface RenderContext {
  group: string;
  severity: number;
  evidence: ReadonlyArray<{ feature: string; value: number; text: string }>;
}

export function renderTemplate(template: string, ctx: RenderContext): string {
  return template
    .replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_all, path: string) => {
      if (path === 'group') return ctx.group;
      if (path === 'severity') return `${Math.round(ctx.severity * 100)}%`;
      const m = /^evidence\.(\w+)\.(text|value)$/.exec(path);
      if (!m) return '';
      const e = ctx.evidence.find((x) => x.feature === m[1]);
      if (!e) return '';
      return m[2] === 'text' ? e.text : String(Number.isInteger(e.value) ? e.value : Number(e.value.toPrecision(4)));
    })
    .replace(/\s+([.,:;])/g, '$1')
    .trim();
}
