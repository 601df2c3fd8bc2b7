import { parseCgroup } from '../../../../exporter/src/read/parse/cgroup';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseCgroup', () => {
  it('finds the cgroup path, container id and systemd unit', () => {
    const id = 'a'.repeat(64);
    expect(parseCgroup(`0::/system.slice/docker-${id}.scope\n`)).toMatchObject({ path: `/system.slice/docker-${id}.scope`, containerId: id, systemdUnit: '' });
    expect(parseCgroup(`0::/kubepods/burstable/pod1234/${id}\n`).containerId).toBe(id);
    expect(parseCgroup('0::/system.slice/nginx.service\n')).toMatchObject({ path: '/system.slice/nginx.service', containerId: '', systemdUnit: 'nginx.service' });
    expect(parseCgroup('12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-2.scope\n').systemdUnit).toBe('session-2.scope');
    expect(parseCgroup('garbage without colons')).toEqual({ path: '', containerId: '', systemdUnit: '', controllers: { cpu: '', cpuset: '', memory: '', io: '' } });
    // Hybrid hosts: the unified line is the root while the v1 lines place the container.
    expect(parseCgroup(`12:cpu,cpuacct:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`)).toMatchObject({ path: '/', containerId: id, systemdUnit: '' });
    expect(parseCgroup('4:cpu,cpuacct:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n')).toMatchObject({ path: '/', containerId: '', systemdUnit: 'cron.service' });
  });

  it('finds the cgroup of each resource controller: v1 lines where mounted, else the v2 path', () => {
    // This project's test VM: hybrid, v1 controllers beside an empty v2 hierarchy.
    const hybrid = '9:name=systemd:/\n8:pids:/\n7:blkio:/batch\n4:memory:/process_api/0c5d\n3:cpuset:/pinned\n2:cpuacct:/\n1:cpu:/batch\n0::/\n';
    expect(parseCgroup(hybrid).controllers).toEqual({ cpu: '/batch', cpuset: '/pinned', memory: '/process_api/0c5d', io: '/batch' });
    expect(parseCgroup('12:cpu,cpuacct:/a\n0::/x\n').controllers).toEqual({ cpu: '/a', cpuset: '/x', memory: '/x', io: '/x' });
    expect(parseCgroup('0::/system.slice/db.service\n').controllers).toEqual({ cpu: '/system.slice/db.service', cpuset: '/system.slice/db.service', memory: '/system.slice/db.service', io: '/system.slice/db.service' });
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('cgroup: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseCgroup, '0::/a/b.service\n', { seed: 242924864 });
  });
});
