import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../../../exporter/src/config/load';
import { ConfigError } from '../../../exporter/src/errors';

const load = (text: string) => parseConfigText(text, { source: 'procsight.yml' });

describe('config file', () => {
  it('gives the embedded defaults for an empty file', () => {
    const c = load('');
    expect(c.limits).toEqual({ max_groups: 200, pid_series_max: 50, thread_task_cap: 256, empty_group_ttl_seconds: 600 });
    expect(c.groups).toBeUndefined();
    expect(load('{}')).toEqual(c);
  });

  it('loads the annotated example shipped with the exporter', () => {
    const c = parseConfigText(readFileSync(join(__dirname, '../../../exporter/config.example.yml'), 'utf8'), { source: 'example' });
    expect(c.groups?.length).toBeGreaterThan(2);
  });

  it.each([
    ['an unknown top-level key', 'grups: []\n', /procsight\.yml:1: grups: unknown key grups/],
    ['an unknown key in a rule', 'groups:\n  - name: web\n    comm: [nginx]\n    colour: red\n', /procsight\.yml:4: groups\[0\]\.colour: unknown key colour/],
    ['a wrong type', 'limits:\n  max_groups: lots\n', /limits\.max_groups: .*number/],
    ['an out-of-range limit', 'limits:\n  max_groups: 1\n', /limits\.max_groups/],
    ['an invalid regex', "groups:\n  - name: x\n    cmdline: ['(unclosed']\n", /procsight\.yml:3: groups\[0\]\.cmdline\[0\]: invalid regex "\(unclosed"/],
    ['an unknown placeholder', "groups:\n  - name: '{{.Nope}}'\n    comm: [a]\n", /groups\[0\]\.name: unknown placeholder \{\{\.Nope\}\}/],
    ['broken YAML', 'groups: [\n', /procsight\.yml:\d+: invalid YAML/],
    ['a list at the root', '- a\n- b\n', /must be a mapping/],
    ['both grouping styles', 'groups: []\nprocess_names: [{comm: [a]}]\n', /process_names: use either groups/],
    ['a process-exporter rule without selector', 'process_names:\n  - name: x\n', /process_names\[0\]: needs at least one of comm, exe, cmdline/],
    ['duplicate keys', 'limits:\n  max_groups: 5\n  max_groups: 6\n', /invalid YAML/],
    [
      'a group named like the overflow group',
      'groups:\n  - name: other\n    comm: [a]\n',
      /procsight\.yml:2: groups\[0\]\.name: "other" is reserved for the overflow group/,
    ],
    [
      'more declared groups than max_groups leaves room for',
      'limits:\n  max_groups: 3\ngroups:\n  - {name: a, comm: [a]}\n  - {name: b, comm: [b]}\n  - {name: c, comm: [c]}\n',
      /procsight\.yml:2: limits\.max_groups: 3 declared groups need limits\.max_groups of at least 4/,
    ],
  ])('rejects %s with a message naming the key', (_what, text, re) => {
    expect(() => load(text)).toThrow(ConfigError);
    expect(() => load(text)).toThrow(re);
  });
});
