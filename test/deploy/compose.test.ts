import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findKind, render, ROOT } from './manifests';

interface ComposeService {
  user?: string;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  read_only?: boolean;
  command?: string[];
  volumes?: string[];
}

describe("docker-compose.yml runs the exporter with the DaemonSet's privileges", () => {
  const svc = (parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> }).services.procsight;
  const ds = findKind<{
    spec: {
      template: { spec: { containers: Array<{ args: string[]; securityContext: { runAsUser: number; capabilities: { drop: string[]; add: string[] } } }> } };
    };
  }>(render('base'), 'DaemonSet');
  const c = ds.spec.template.spec.containers[0];

  it("the same uid and exactly the same capabilities (Docker's default set has no CAP_SYS_PTRACE and a dozen others)", () => {
    expect(svc.user).toBe(String(c.securityContext.runAsUser));
    expect(svc.cap_drop).toEqual(c.securityContext.capabilities.drop);
    expect([...(svc.cap_add ?? [])].sort()).toEqual([...c.securityContext.capabilities.add].sort());
  });

  it('no privilege escalation, read-only root file system, read-only host /proc at the same path', () => {
    expect(svc.security_opt).toContain('no-new-privileges:true');
    // Docker's default AppArmor profile would refuse the host's /proc/<pid>/io whatever the capabilities.
    expect(svc.security_opt).toContain('apparmor:unconfined');
    expect(svc.read_only).toBe(true);
    expect(svc.volumes).toContain('/proc:/host/proc:ro');
    const procfs = (args: string[] | undefined) => args?.find((a) => a.startsWith('--path.procfs='));
    expect(procfs(svc.command)).toBe(procfs(c.args));
  });
});
