import { parseConfigText } from '../../../exporter/src/config/load';
import { ConfigError } from '../../../exporter/src/errors';

const load = (yaml: string) => parseConfigText(yaml, { source: 'procsight.yml' });
const refused = (yaml: string): string => {
  try {
    load(yaml);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('accepted');
};

describe('remediation: config', () => {
  it('is off by default, with safe defaults for every other key', () => {
    const c = load('').remediation;
    expect(c).toEqual({ mode: 'off', require_active_bottleneck: true, approval_timeout_seconds: 3600, max_actions_per_hour: 10, rules: [] });
  });

  it('takes one rule per action with its bound, and defaults the cooldown and rate limit', () => {
    const c = load(`remediation:
  mode: approve
  webhook_token_file: /etc/procsight/token
  rules:
    - {group: batch, kind: cpu_saturation, action: renice, nice: 10}
    - {group: batch, kind: io_bound, action: ionice, class: best-effort, level: 6, suggestion: io_bound.ionice}
    - {group: api, kind: cpu_saturation, action: cpu_limit, cores: 1.5, unit: api.service}
    - {group: api, kind: memory_leak, action: memory_limit, bytes: 2147483648}
    - {group: api, kind: memory_leak, action: restart, unit: api.service, cooldown_seconds: 7200, max_actions: 1}
    - {group: worker, kind: thread_explosion, action: signal, grace_seconds: 5}
    - {group: worker, kind: fd_exhaustion, action: run, command: [/usr/local/bin/dump-fds, --verbose], timeout_seconds: 30}
`).remediation;
    expect(c.rules.map((r) => r.action)).toEqual(['renice', 'ionice', 'cpu_limit', 'memory_limit', 'restart', 'signal', 'run']);
    expect(c.rules[0]).toEqual({
      group: 'batch',
      kind: 'cpu_saturation',
      action: 'renice',
      nice: 10,
      cooldown_seconds: 1800,
      max_actions: 3,
      window_seconds: 86400,
      max_processes: 20,
    });
    expect(c.rules[4]).toMatchObject({ cooldown_seconds: 7200, max_actions: 1 });
  });

  it("refuses a rule without its bound, with another action's keys, or reaching outside its limits, naming the key", () => {
    const rule = (r: string) => refused(`remediation:\n  rules:\n    - ${r}\n`);
    expect(rule('{group: a, kind: cpu_saturation, action: renice}')).toMatch(/remediation\.rules\[0\]\.nice: required for action renice/);
    expect(rule('{group: a, kind: cpu_saturation, action: renice, nice: 5, cores: 1}')).toMatch(/rules\[0\]\.cores: not a key of action renice/);
    expect(rule('{group: a, kind: cpu_saturation, action: renice, nice: -21}')).toMatch(/rules\[0\]\.nice/);
    expect(rule('{group: a, kind: memory_leak, action: restart}')).toMatch(/rules\[0\]\.unit: required for action restart/);
    expect(rule('{group: a, kind: memory_leak, action: restart, unit: "../etc/passwd"}')).toMatch(/rules\[0\]\.unit/);
    expect(rule('{group: a, kind: memory_leak, action: memory_limit, bytes: 1024}')).toMatch(/rules\[0\]\.bytes/);
    expect(rule('{group: a, kind: io_bound, action: ionice, class: idle, level: 3}')).toMatch(/rules\[0\]\.level: the idle class has no level/);
    expect(rule('{group: a, kind: io_bound, action: ionice, class: realtime}')).toMatch(/rules\[0\]\.class/);
    expect(rule('{group: a, kind: io_bound, action: run, command: [fix.sh]}')).toMatch(/rules\[0\]\.command\[0\]: must be an absolute path/);
    expect(rule('{group: a, kind: io_bound, action: signal, suggestion: memory_leak.heap_dump}')).toMatch(
      /rules\[0\]\.suggestion: not a catalog action of io_bound/,
    );
    expect(rule('{group: a, kind: slowness, action: signal}')).toMatch(/rules\[0\]\.kind/);
    expect(rule('{group: a, kind: io_bound, action: reboot}')).toMatch(/rules\[0\]\.action/);
    expect(refused('remediation:\n  mode: yolo\n')).toMatch(/remediation\.mode/);
    expect(refused('remediation:\n  modes: auto\n')).toMatch(/unknown key modes/);
  });
});
