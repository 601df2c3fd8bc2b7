/**
 * exporter/Dockerfile read as stages of instructions, and a replay of it on
 * the host for machines without a Docker engine: each stage gets a directory
 * standing for its root file system, COPY copies into it (from the build
 * context through the .dockerignore allowlist, or from another stage), RUN
 * runs with the host's Node in the stage's WORKDIR. What the replay cannot
 * show: the base image itself (the host's Node stands in for the image's, the
 * same major version) and anything a RUN would do outside its WORKDIR.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';

interface Instruction {
  op: string;
  args: string;
  line: number;
}
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions by stage; continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1).trimEnd()} ${lines[++i].trim()}`;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile:${start}: not an instruction: ${line}`);
    const op = m[1].toUpperCase();
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(m[2]);
      if (!f) throw new Error(`Dockerfile:${start}: bad FROM`);
      stages.push({ from: f[1], name: f[2], instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`Dockerfile:${start}: ${op} before FROM`);
    stages[stages.length - 1].instructions.push({ op, args: m[2], line: start });
  }
  return stages;
}

/** The words of an exec-form (JSON array) instruction, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  return JSON.parse(args) as string[];
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}
export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else if (!flag.startsWith('--chown=') && !flag.startsWith('--chmod=')) throw new Error(`COPY flag the replay does not know: ${flag}`);
  }
  const dest = words.pop()!;
  return { from, sources: words, dest };
}

/**
 * Whether a .dockerignore made of `*` and `!path` exceptions (the only form the
 * replay accepts) lets `path` through: the path or one of its parents is an exception.
 */
function allowedByIgnore(ignore: string, path: string): boolean {
  const rules = ignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (rules[0] !== '*' || rules.slice(1).some((r) => !r.startsWith('!'))) throw new Error('the replay understands only "*" followed by "!path" exceptions');
  const allowed = rules.slice(1).map((r) => r.slice(1).replace(/\/$/, ''));
  return allowed.some((a) => path === a || path.startsWith(`${a}/`));
}

export interface Replay {
  /** Stage name (or index) → directory standing for its root file system. */
  roots: Map<string, string>;
  /** Final stage's working directory, user, entrypoint and command. */
  final: { root: string; workdir: string; user?: string; entrypoint: string[]; cmd: string[]; env: Record<string, string> };
}

/** Replays every stage into `into`; `context` is the build context, `ignore` the .dockerignore text. */
export function replay(opts: { stages: Stage[]; context: string; ignore: string; into: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Replay {
  const roots = new Map<string, string>();
  let final: Replay['final'] | undefined;
  opts.stages.forEach((stage, index) => {
    const root = join(opts.into, stage.name ?? `stage${index}`);
    mkdirSync(root, { recursive: true });
    roots.set(stage.name ?? String(index), root);
    let workdir = '/';
    let user: string | undefined;
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    const env: Record<string, string> = {};
    /** Build arguments: their defaults (no --build-arg in the replay), seen by RUN only, as in Docker. */
    const args: Record<string, string> = {};
    const inRoot = (p: string) => join(root, posix.resolve(workdir, p));
    for (const ins of stage.instructions) {
      switch (ins.op) {
        case 'WORKDIR':
          workdir = posix.resolve(workdir, ins.args);
          mkdirSync(inRoot('.'), { recursive: true });
          break;
        case 'COPY': {
          const c = parseCopy(ins.args);
          const fromRoot = c.from === undefined ? undefined : roots.get(c.from);
          if (c.from !== undefined && !fromRoot) throw new Error(`Dockerfile:${ins.line}: no stage ${c.from} before this one`);
          for (const src of c.sources) {
            if (!fromRoot && !allowedByIgnore(opts.ignore, src)) throw new Error(`Dockerfile:${ins.line}: ${src} is not in the build context (.dockerignore)`);
            const from = fromRoot ? join(fromRoot, src) : join(opts.context, src);
            // Several sources, or a destination ending in /: into that directory; else the destination itself.
            const to = c.sources.length > 1 || c.dest.endsWith('/') ? join(inRoot(c.dest), basename(src)) : inRoot(c.dest);
            cpSync(from, to, { recursive: true, verbatimSymlinks: true });
          }
          break;
        }
        case 'RUN':
          execFileSync('sh', ['-c', ins.args], { cwd: inRoot('.'), env: { ...opts.env, ...args, ...env }, stdio: 'pipe', timeout: opts.timeoutMs });
          break;
        case 'ENV': {
          const m = /^(\w+)=(.*)$/.exec(ins.args);
          if (!m) throw new Error(`Dockerfile:${ins.line}: ENV key=value expected`);
          env[m[1]] = m[2];
          break;
        }
        case 'ARG': {
          const m = /^(\w+)(?:=(.*))?$/.exec(ins.args);
          if (!m) throw new Error(`Dockerfile:${ins.line}: ARG name[=default] expected`);
          args[m[1]] = m[2] ?? '';
          break;
        }
        case 'USER':
          user = ins.args;
          break;
        case 'ENTRYPOINT':
          entrypoint = execForm(ins.args) ?? [];
          break;
        case 'CMD':
          cmd = execForm(ins.args) ?? [];
          break;
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'LABEL':
          break;
        default:
          throw new Error(`Dockerfile:${ins.line}: the replay does not know ${ins.op}`);
      }
    }
    final = { root, workdir, user, entrypoint, cmd, env };
  });
  if (!final) throw new Error('Dockerfile has no stage');
  return { roots, final };
}

export const readText = (path: string): string => readFileSync(path, 'utf8');
