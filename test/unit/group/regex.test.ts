import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { re2ToJs, RegexSyntaxError } from '../../../exporter/src/group/regex';
import { compileRegex } from '../../../exporter/src/group/template';
import { ConfigError } from '../../../exporter/src/errors';

const js = (re: string) => new RegExp(re2ToJs(re));

describe('RE2 (process-exporter) regexes in JavaScript', () => {
  it('translates POSIX classes inside brackets, alone, with other members and negated', () => {
    expect(js('^[[:alpha:]]+$').test('nginx')).toBe(true);
    expect(js('^[[:alpha:]]+$').test('nginx1')).toBe(false);
    expect(js('^[[:alnum:]_-]+$').test('php-fpm_7')).toBe(true);
    expect(js('^[^[:space:]]+$').test('a b')).toBe(false);
    expect(js('^[[:^digit:]]+$').test('abc')).toBe(true);
    expect(js('^[[:^digit:]]+$').test('ab1')).toBe(false);
    expect(js('[[:punct:]]').test('a.b')).toBe(true);
    expect(js('^[[:xdigit:]]{4}$').test('0aF9')).toBe(true);
    expect(js('^[[:upper:]][[:lower:]]+$').test('Java')).toBe(true);
  });

  it('keeps what both syntaxes share, and RE2 captures, anchors and a leading ]', () => {
    expect(re2ToJs('-jar\\s+(?P<app>[\\w.-]+)\\.jar')).toBe('-jar\\s+(?<app>[\\w.-]+)\\.jar');
    expect(js('\\Afoo\\z').test('foo')).toBe(true);
    expect(js('\\Afoo\\z').test('foo\n')).toBe(false);
    expect(js('[]a]').test(']')).toBe(true);
    expect(js('[:alpha:]').test('p')).toBe(true); // outside brackets: a class of its letters, in both
  });

  it("agrees with Go on every translated pattern (RE2 itself, through promtool's label_replace)", () => {
    // promtool evaluates PromQL with Go's regexp: label_replace keeps the label only where the regex matches.
    const cases: Array<[string, string]> = [
      ['^[[:alpha:]]+$', 'nginx'],
      ['^[[:alpha:]]+$', 'nginx1'],
      ['^[^[:space:]]+$', 'a b'],
      ['^[[:^digit:]]+$', 'ab1'],
      ['^[[:word:]]+$', 'a_b9'],
    ];
    for (const [re, s] of cases) {
      // Go's answer: label_replace(vector(1), "m", "yes", "s", re) on a series whose label s is the subject.
      const goMatches = promtoolMatches(re, s);
      expect([re, s, js(re).test(s)]).toEqual([re, s, goMatches]);
    }
  });

  it('refuses what JavaScript cannot say, naming it', () => {
    expect(() => re2ToJs('[[:nosuch:]]')).toThrow(/unknown POSIX class \[:nosuch:\]/);
    expect(() => re2ToJs('[a[:^digit:]]')).toThrow(/must be alone/);
    expect(() => re2ToJs('\\Qa.b\\E')).toThrow(RegexSyntaxError);
    expect(() => re2ToJs('\\pL+')).toThrow(/Unicode class/);
    expect(() => re2ToJs('(?U)a+')).toThrow(/ungreedy/);
    expect(() => re2ToJs('[abc')).toThrow(/missing closing/);
    expect(() => compileRegex('[[:nosuch:]]', 'process_names[0].cmdline[0]')).toThrow(ConfigError);
    expect(() => compileRegex('[[:nosuch:]]', 'process_names[0].cmdline[0]')).toThrow(/process_names\[0\]\.cmdline\[0\].*"\[\[:nosuch:\]\]"/);
  });
});

/** Whether Go's regexp (in promtool) fully matches `subject` with `re` (label_replace anchors the regex). */
function promtoolMatches(re: string, subject: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-re2-'));
  try {
    const rules = {
      groups: [
        {
          name: 'g',
          rules: [{ record: 'm', expr: `label_replace(s, "m", "yes", "s", ${JSON.stringify(`(?:${re.replace(/^\^/, '').replace(/\$$/, '')})`)})` }],
        },
      ],
    };
    const test = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [{ series: `s{s=${JSON.stringify(subject)}}`, values: '1' }],
          promql_expr_test: [{ expr: 'm{m="yes"}', eval_time: '0m', exp_samples: [{ labels: `m{m="yes",s=${JSON.stringify(subject)}}`, value: 1 }] }],
        },
      ],
    };
    writeFileSync(join(dir, 'rules.yml'), JSON.stringify(rules));
    writeFileSync(join(dir, 'test.yml'), JSON.stringify(test));
    try {
      execFileSync('promtool', ['test', 'rules', 'test.yml'], { cwd: dir, stdio: 'pipe' });
      return true;
    } catch {
      return false; // the expected sample is absent: Go did not match
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
