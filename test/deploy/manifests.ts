/**
 * Renders the kustomizations under deploy/kubernetes with the real kubectl and
 * checks the objects against the Kubernetes and prometheus-operator schemas of
 * kubernetes-models and @kubernetes-models/prometheus-operator (ajv validators
 * compiled from the published OpenAPI and CRD schemas).
 *
 * Those schemas, like the API server's, allow unknown fields, so a misspelt
 * field (`readOnlyRootFileSystem`) would pass them and be dropped silently by
 * the cluster. The strict check catches it: every object becomes a TypeScript
 * object literal typed with the package's interface, and the compiler's excess
 * property check names any field the type does not have.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
const KUSTOMIZE_ROOT = join(ROOT, 'deploy', 'kubernetes');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** deploy/kubernetes itself, its base and every overlay, as paths relative to deploy/kubernetes. */
export function kustomizations(): string[] {
  const overlays = readdirSync(join(KUSTOMIZE_ROOT, 'overlays'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(KUSTOMIZE_ROOT, 'overlays', d.name, 'kustomization.yaml')))
    .map((d) => `overlays/${d.name}`)
    .sort();
  return ['.', 'base', ...overlays];
}

export function requireKubectl(): void {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`kubectl is needed to render deploy/kubernetes (.ci/run installs it when missing): ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function render(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE_ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => {
    if (d.errors.length > 0) throw new Error(`${dir}: ${d.errors[0].message}`);
    return d.toJS() as K8sObject;
  });
}

/** Module of the kubernetes-models class for an apiVersion and kind. */
function modelModule(apiVersion: string, kind: string): string {
  const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (g === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${g}/${v}/${kind}`;
  return `kubernetes-models/${g ? `${g}/` : ''}${v}/${kind}`;
}

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** Schema errors of one object ([] when valid; a missing schema is an error too). */
export function schemaErrors(obj: K8sObject): string[] {
  const id = `${obj.kind} ${obj.metadata?.name}`;
  let cls: ModelClass | undefined;
  try {
    // The model module is chosen by the object's apiVersion at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cls = (require(modelModule(obj.apiVersion, obj.kind)) as Record<string, ModelClass>)[obj.kind];
  } catch (err) {
    return [`${id}: no schema for ${obj.apiVersion} ${obj.kind} (${err instanceof Error ? err.message : String(err)})`];
  }
  if (!cls) return [`${id}: ${modelModule(obj.apiVersion, obj.kind)} exports no ${obj.kind}`];
  try {
    new cls(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    if (errors) return errors.map((e) => `${id}: ${e.instancePath || '/'} ${e.message ?? ''}`);
    return [`${id}: ${err instanceof Error ? err.message : String(err)}`];
  }
}

/**
 * Fields that the schema's TypeScript interface does not know, for every object
 * of every rendering at once (one compiler run). Keys are the labels given.
 */
export function unknownFieldErrors(objects: Array<{ label: string; obj: K8sObject }>): string[] {
  const file = join(ROOT, 'test', 'deploy', '__strict_manifests__.ts');
  const imports = new Map<string, string>();
  const decls = objects.map(({ obj }, i) => {
    const mod = modelModule(obj.apiVersion, obj.kind);
    const alias = `T${imports.size}`;
    if (!imports.has(mod)) imports.set(mod, alias);
    return `export const o${i}: ${imports.get(mod)} = ${JSON.stringify(obj)};`;
  });
  const source = [...[...imports].map(([mod, alias]) => `import type { I${mod.split('/').pop()} as ${alias} } from '${mod}';`), ...decls].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined || d.file.fileName !== file) return msg;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    const at = line - imports.size;
    const o = objects[at];
    return o ? `${o.label}: ${o.obj.kind} ${o.obj.metadata?.name}: ${msg}` : msg;
  });
}

/** The first object of `kind`, in the shape the caller reads (the schema checks vouch for it). */
export function findKind<T>(objs: K8sObject[], kind: string): T {
  const o = objs.find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind} in the rendering`);
  return o as unknown as T;
}
