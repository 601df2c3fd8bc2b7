import { parseCgroup } from '../../../../exporter/src/read/parse/cgroup';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseCgroup', () => {
  it('finds the cgroup path, container id and systemd unit', () => {
    const id = 'a'.repeat(64);
    expect(parseCgroup(`0::/system.slice/docker-${id}.scope\n`)).toEqual({ path: `/system.slice/docker-${id}.scope`, containerId: id, systemdUnit: '' });
    expect(parseCgroup(`0::/kubepods/burstable/pod1234/${id}\n`).containerId).toBe(id);
    expect(parseCgroup('0::/system.slice/nginx.service\n')).toEqual({ path: '/system.slice/nginx.service', containerId: '', systemdUnit: 'nginx.service' });
    expect(parseCgroup('12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-2.scope\n').systemdUnit).toBe('session-2.scope');
    expect(parseCgroup('garbage without colons')).toEqual({ path: '', containerId: '', systemdUnit: '' });
    // Hybrid hosts: the unified line is the root while the v1 lines place the container.
    expect(parseCgroup(`12:cpu,cpuacct:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`)).toEqual({ path: '/', containerId: id, systemdUnit: '' });
    expect(parseCgroup('4:cpu,cpuacct:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n')).toEqual({ path: '/', containerId: '', systemdUnit: 'cron.service' });
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('cgroup: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseCgroup, '0::/a/b.service\n', { seed: 242924864 });
  });
});
