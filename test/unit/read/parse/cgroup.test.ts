import { parseCgroup } from '../../../../exporter/src/read/parse/cgroup';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('parseCgroup', () => {
  it('finds the cgroup path, container id and systemd unit', () => {
    const id = 'a'.repeat(64);
    expect(parseCgroup(`0::/system.slice/docker-${id}.scope\n`)).toMatchObject({
      path: `/system.slice/docker-${id}.scope`,
      containerId: id,
      podUid: '',
      systemdUnit: '',
    });
    expect(parseCgroup(`0::/kubepods/burstable/pod1234/${id}\n`).containerId).toBe(id);
    expect(parseCgroup('0::/system.slice/nginx.service\n')).toMatchObject({
      path: '/system.slice/nginx.service',
      containerId: '',
      podUid: '',
      systemdUnit: 'nginx.service',
    });
    expect(parseCgroup('12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-2.scope\n').systemdUnit).toBe('session-2.scope');
    expect(parseCgroup('garbage without colons')).toEqual({
      path: '',
      containerId: '',
      podUid: '',
      systemdUnit: '',
      controllers: { cpu: '', cpuset: '', memory: '', io: '' },
    });
    // Hybrid hosts: the unified line is the root while the v1 lines place the container.
    expect(parseCgroup(`12:cpu,cpuacct:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`)).toMatchObject({
      path: '/',
      containerId: id,
      podUid: '',
      systemdUnit: '',
    });
    expect(parseCgroup('4:cpu,cpuacct:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n')).toMatchObject({
      path: '/',
      containerId: '',
      podUid: '',
      systemdUnit: 'cron.service',
    });
  });

  it('finds the cgroup of each resource controller: v1 lines where mounted, else the v2 path', () => {
    // This project's test VM: hybrid, v1 controllers beside an empty v2 hierarchy.
    const hybrid = '9:name=systemd:/\n8:pids:/\n7:blkio:/batch\n4:memory:/process_api/0c5d\n3:cpuset:/pinned\n2:cpuacct:/\n1:cpu:/batch\n0::/\n';
    expect(parseCgroup(hybrid).controllers).toEqual({ cpu: '/batch', cpuset: '/pinned', memory: '/process_api/0c5d', io: '/batch' });
    expect(parseCgroup('12:cpu,cpuacct:/a\n0::/x\n').controllers).toEqual({ cpu: '/a', cpuset: '/x', memory: '/x', io: '/x' });
    expect(parseCgroup('0::/system.slice/db.service\n').controllers).toEqual({
      cpu: '/system.slice/db.service',
      cpuset: '/system.slice/db.service',
      memory: '/system.slice/db.service',
      io: '/system.slice/db.service',
    });
  });
});

describe('real cgroups of Kubernetes processes, one per runtime, driver and cgroup version (test/fixtures/kubernetes)', () => {
  const { samples } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'kubernetes', 'cgroups.json'), 'utf8')) as {
    samples: Array<{ runtime: string; driver: string; cgroup: string; source: string; text: string; podUid: string; containerId: string; systemdUnit: string }>;
  };

  it('covers docker, containerd and CRI-O; cgroupfs and systemd; v1 and v2', () => {
    const all = samples.map((s) => `${s.runtime} ${s.driver} ${s.cgroup}`).join('\n');
    for (const word of ['docker', 'containerd', 'CRI-O', 'cgroupfs', 'systemd', 'v1', 'v2']) expect(all).toContain(word);
  });

  it.each(samples.map((s) => [`${s.runtime}, ${s.driver}, cgroup ${s.cgroup} (${s.source})`, s] as const))('%s', (_name, s) => {
    const got = parseCgroup(s.text);
    expect({ podUid: got.podUid, containerId: got.containerId, systemdUnit: got.systemdUnit }).toEqual({
      podUid: s.podUid,
      containerId: s.containerId,
      systemdUnit: s.systemdUnit,
    });
  });

  it("takes the innermost container and a static pod's config hash", () => {
    const outer = 'a'.repeat(64);
    const inner = 'b'.repeat(64);
    expect(parseCgroup(`0::/docker/${outer}/kubepods/besteffort/pod0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/${inner}\n`)).toMatchObject({
      containerId: inner,
      podUid: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    });
    expect(
      parseCgroup(`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod8f2c4b9e1a7d3f6c0e5b2a9d8c7f1e4b.slice/cri-containerd-${inner}.scope\n`)
        .podUid,
    ).toBe('8f2c4b9e1a7d3f6c0e5b2a9d8c7f1e4b');
    // A unit below the container is the process's own (systemd inside a container).
    expect(parseCgroup(`0::/docker/${outer}/system.slice/nginx.service\n`).systemdUnit).toBe('nginx.service');
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('cgroup: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseCgroup, '0::/a/b.service\n', { seed: 242924864 });
  });
});
