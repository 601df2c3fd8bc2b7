import { parseConfigText } from '../../../exporter/src/config/load';
import { createNamer, KERNEL_GROUP, RENAMED_OTHER } from '../../../exporter/src/group/namer';
import { identity } from '../../helpers/synthetic';

const namer = (yaml: string) => createNamer(parseConfigText(yaml, { source: 'test' }));

describe('namer', () => {
  it('groups by comm by default and puts kernel threads in one group', () => {
    const n = namer('');
    expect(n.name(identity(1, 'nginx'))).toBe('nginx');
    expect(n.name(identity(2, 'kworker/u8:0-events', { kernelThread: true, exe: '', argv: [] }))).toBe(KERNEL_GROUP);
    expect(n.declaredGroups()).toEqual([]);
  });

  it('keeps a process named like the overflow group apart from it', () => {
    expect(namer('').name(identity(1, 'other'))).toBe(RENAMED_OTHER);
    expect(RENAMED_OTHER).toBe('other_');
  });

  describe('process-exporter configs, unchanged (examples from its README)', () => {
    // Written out by hand from process-exporter's README, "Using a config file".
    const readme = `
process_names:
  # comm is the second field of /proc/<pid>/stat minus parens.
  # It is the base executable name, truncated at 15 chars.
  # It cannot be modified by the program, unlike exe.
  - comm:
    - bash

  # exe is argv[0]. If no slashes, only basename of argv[0] need match.
  # If exe contains slashes, argv[0] must match exactly.
  - exe:
    - postgres
    - /usr/local/bin/prometheus

  # cmdline is a list of regexps applied to argv.
  # Each must match, and any captures are added to the .Matches map.
  - name: "{{.ExeFull}}:{{.Matches.Cfgfile}}"
    exe:
    - /usr/local/bin/process-exporter
    cmdline:
    - -config.path\\s+(?P<Cfgfile>\\S+)
`;
    const n = namer(readme);

    it('matches comm and names the group by the executable base name by default', () => {
      expect(n.name(identity(1, 'bash', { argv: ['/bin/bash', '-l'], cmdline: '/bin/bash -l', exe: '/usr/bin/bash' }))).toBe('bash');
    });
    it('matches exe against argv[0]: base name without slash, exact path with one', () => {
      expect(n.name(identity(2, 'postgres', { argv: ['/usr/lib/postgresql/15/bin/postgres', '-D', '/data'] }))).toBe('postgres');
      expect(n.name(identity(3, 'prometheus', { argv: ['/usr/local/bin/prometheus'] }))).toBe('prometheus');
      expect(n.name(identity(4, 'prometheus', { argv: ['/opt/prometheus'] }))).toBeNull();
    });
    it('fills {{.Matches}} from named captures and {{.ExeFull}} from argv[0]', () => {
      const argv = ['/usr/local/bin/process-exporter', '-config.path', '/etc/pe/all.yml'];
      expect(n.name(identity(5, 'process-exporte', { argv, cmdline: argv.join(' ') }))).toBe('/usr/local/bin/process-exporter:/etc/pe/all.yml');
    });
    it('leaves unmatched processes out', () => {
      expect(n.name(identity(6, 'sshd', { argv: ['sshd'] }))).toBeNull();
    });

    it('accepts the catch-all rule from its README', () => {
      const all = namer('process_names:\n  - name: "{{.Comm}}"\n    cmdline:\n    - \'.+\'\n');
      expect(all.name(identity(7, 'redis-server', { argv: ['redis-server'], cmdline: 'redis-server' }))).toBe('redis-server');
      expect(all.name(identity(8, 'kthreadd', { argv: [], cmdline: '', kernelThread: true }))).toBeNull();
    });

    it('accepts the home-machine example with a fixed name (declared at 0)', () => {
      const home = namer(
        'process_names:\n  - comm:\n    - chromium-browse\n    - bash\n    - prometheus\n    - gvim\n  - exe:\n    - /sbin/upstart\n    cmdline:\n    - --user\n    name: upstart:-user\n',
      );
      expect(home.name(identity(9, 'upstart', { argv: ['/sbin/upstart', '--user'], cmdline: '/sbin/upstart --user' }))).toBe('upstart:-user');
      expect(home.name(identity(10, 'gvim', { argv: ['gvim'] }))).toBe('gvim');
      expect(home.declaredGroups()).toEqual(['upstart:-user']);
    });
  });

  it('supports procsight matchers: systemd unit, container, user, cgroup, first match wins', () => {
    const n = namer(`
groups:
  - name: web
    systemd_unit: [nginx.service]
  - name: 'ctr-{{.Cgroup}}'
    container: true
  - name: 'batch-{{.Username}}'
    user: [etl]
  - name: db
    comm: [postgres]
    pid_series: true
`);
    expect(n.name(identity(1, 'nginx', { systemdUnit: 'nginx.service' }))).toBe('web');
    expect(n.name(identity(2, 'redis', { containerId: 'abcdef0123456789'.repeat(4) }))).toBe('ctr-abcdef012345');
    expect(n.name(identity(3, 'python3', { username: 'etl' }))).toBe('batch-etl');
    expect(n.name(identity(4, 'postgres'))).toBe('db');
    expect(n.name(identity(5, 'vim'))).toBeNull();
    expect(n.declaredGroups().sort()).toEqual(['db', 'web']);
    expect(n.pidSeriesGroups()).toEqual(['db']);
  });

  it('never exports a command line unless a template asks for a capture of it', () => {
    const n = namer("groups:\n  - cmdline: ['--password=(?<pw>\\S+)']\n");
    expect(n.name(identity(1, 'app', { cmdline: 'app --password=hunter2' }))).toBe('app');
  });

  describe("process-exporter's -procnames and -namemapping", () => {
    const n = createNamer({
      procnames: {
        names: ['bash', 'java', 'other'],
        mapping: [
          { comm: 'java', regex: '-jar\\s+([^/]+)\\.jar' },
          { comm: 'python2', regex: '([^/]+)\\.py|(--user)' },
        ],
      },
    });

    it('groups listed comms by comm, mapped ones by comm:<first non-empty capture>, and nothing else', () => {
      expect(n.name(identity(1, 'bash'))).toBe('bash');
      expect(n.name(identity(2, 'java', { cmdline: 'java -Xmx1g -jar shop.jar' }))).toBe('java:shop');
      expect(n.name(identity(3, 'java', { cmdline: 'java -cp x Main' }))).toBeNull(); // mapped, no match: not tracked
      expect(n.name(identity(4, 'python2', { cmdline: 'python2 /opt/upstart --user' }))).toBe('python2:--user');
      expect(n.name(identity(5, 'sshd'))).toBeNull();
      expect(n.name(identity(6, 'other'))).toBe(RENAMED_OTHER);
    });

    it('declares the fixed names, translating RE2 in the mapping', () => {
      expect(n.declaredGroups()).toEqual(['bash']);
      const posix = createNamer({ procnames: { names: [], mapping: [{ comm: 'app', regex: '--name=([[:alpha:]]+)' }] } });
      expect(posix.name(identity(1, 'app', { cmdline: 'app --name=shop1' }))).toBe('app:shop');
      expect(() => createNamer({ procnames: { names: [], mapping: [{ comm: 'app', regex: '[[:bogus:]]' }] } })).toThrow(/-namemapping \(app\).*bogus/);
    });
  });

  describe('Kubernetes templates and matchers', () => {
    const pods = new Map([['7fda01c4-0ece-403d-88b4-c371d66d132a', { namespace: 'shop', pod: 'web-0', containers: new Map([['c'.repeat(64), 'nginx']]) }]]);
    const lookup = {
      lookup: (uid: string, cid: string) => {
        const p = pods.get(uid);
        return p ? { namespace: p.namespace, pod: p.pod, container: p.containers.get(cid) ?? '' } : null;
      },
    };
    const yaml = `groups:\n  - name: '{{.Namespace}}/{{.Pod}}/{{.Container}}'\n    pod: true\n  - name: 'ns-{{.Namespace}}'\n    namespace: [batch]\n  - name: '{{.Comm}}'\n`;
    const n = createNamer(parseConfigText(yaml, { source: 'test' }), { pods: lookup });
    const inPod = (uid: string, cid = 'c'.repeat(64)) => identity(1, 'nginx', { podUid: uid, containerId: cid });

    it('names a pod process by namespace, pod and container, others by the next rule', () => {
      expect(n.name(inPod('7fda01c4-0ece-403d-88b4-c371d66d132a'))).toBe('shop/web-0/nginx');
      expect(n.name(inPod('7fda01c4-0ece-403d-88b4-c371d66d132a', 'd'.repeat(64)))).toBe('shop/web-0/');
      expect(n.name(identity(2, 'sshd'))).toBe('sshd');
    });

    it('holds a process of a pod it does not know yet as pending, and never a host process', () => {
      expect(n.pending(inPod('00000000-1111-2222-3333-444444444444'))).toBe(true);
      expect(n.pending(inPod('7fda01c4-0ece-403d-88b4-c371d66d132a'))).toBe(false);
      expect(n.pending(identity(2, 'sshd'))).toBe(false);
      // Without Kubernetes (no lookup) nothing waits, and a pod process is named by its pod UID and short container id.
      const off = createNamer(parseConfigText(yaml, { source: 'test' }));
      expect(off.pending(inPod('00000000-1111-2222-3333-444444444444'))).toBe(false);
      expect(off.name(inPod('00000000-1111-2222-3333-444444444444'))).toBe(`/00000000-1111-2222-3333-444444444444/${'c'.repeat(12)}`);
    });

    it('accepts the placeholders in a config and refuses a bad pod regex, naming the key', () => {
      expect(() => parseConfigText("groups:\n  - name: '{{.Pod}}'\n    pod: '[[:bogus:]]'\n", { source: 'c.yml' })).toThrow(/groups\[0\]\.pod/);
      expect(() => parseConfigText("groups:\n  - name: '{{.Podname}}'\n", { source: 'c.yml' })).toThrow(/unknown placeholder/);
    });
  });
});
