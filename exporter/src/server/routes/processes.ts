import { Router } from 'express';
import { z } from 'zod';
import { RequestError } from '../../errors';
import type { ProcIdentity, ProcSample } from '../../read/types';
import { redactCmdline } from '../redact';
import { parseQuery } from '../validate';

/** Query parameters (exported for the check of docs/api.md). */
export const processesQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
const groupParam = z.string().min(1).max(256);

/** GET /api/v1/groups/:group/processes — the group's processes, command lines redacted (docs/api.md). */
export function createProcessesRouter(deps: {
  knownGroups(): string[];
  processesOf(group: string): Array<{ identity: ProcIdentity; sample: ProcSample }>;
}): Router {
  const r = Router();
  r.get('/groups/:group/processes', (req, res) => {
    const q = parseQuery(processesQuery, req.query);
    const g = groupParam.safeParse(req.params.group);
    if (!g.success || !deps.knownGroups().includes(g.data))
      throw new RequestError(404, `unknown group ${JSON.stringify(String(req.params.group).slice(0, 256))}`);
    const list = deps
      .processesOf(g.data)
      .sort((a, b) => (b.sample.rssBytes ?? 0) - (a.sample.rssBytes ?? 0))
      .slice(0, q.limit)
      .map(({ identity: id, sample: s }) => ({
        pid: id.pid,
        comm: id.comm,
        user: id.username,
        cmdline: redactCmdline(id.cmdline),
        state: s.state,
        cpu_seconds: s.cpuUserSeconds + s.cpuSystemSeconds,
        resident_bytes: s.rssBytes,
        threads: s.threads,
        open_fds: s.openFds,
        fd_limit: id.fdLimit,
        cgroup: id.cgroup,
      }));
    res.json({ group: g.data, processes: list });
  });
  return r;
}
