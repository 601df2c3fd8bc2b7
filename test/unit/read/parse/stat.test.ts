import { ReadError } from '../../../../exporter/src/errors';
import { parseStat, PF_KTHREAD } from '../../../../exporter/src/read/parse/stat';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

const STAT_TAIL =
  'S 1 1 0 0 -1 4194560 1500 0 7 0 250 130 0 0 20 0 4 0 98765 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 12 0 0 0 0 0 0 0 0 0 0';

describe('parseStat', () => {
  it('reads the fields procsight uses', () => {
    const s = parseStat(`4242 (postgres) ${STAT_TAIL}`);
    expect(s).toMatchObject({
      pid: 4242,
      comm: 'postgres',
      state: 'sleeping',
      ppid: 1,
      minorFaults: 1500,
      majorFaults: 7,
      utimeTicks: 250,
      stimeTicks: 130,
      threads: 4,
      startTicks: 98765,
      blkioTicks: 12,
    });
  });

  it.each([
    ['tmux: server', 'tmux: server'],
    ['(sd-pam)', '(sd-pam)'],
    ['a) (b', 'a) (b'],
    ['x) S 1 1 (', 'x) S 1 1 ('],
    ['', ''],
  ])('takes comm %j up to the last parenthesis', (comm, expected) => {
    expect(parseStat(`7 (${comm}) ${STAT_TAIL}`).comm).toBe(expected);
  });

  it('recognises kernel threads, zombies and unknown states', () => {
    const k = parseStat(
      `2 (kthreadd) S 0 0 0 0 -1 ${PF_KTHREAD | 0x40} 0 0 0 0 0 3 0 0 20 0 1 0 2 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0`,
    );
    expect(k.flags & PF_KTHREAD).toBeTruthy();
    expect(parseStat(`9 (dead) ${STAT_TAIL.replace(/^S/, 'Z')}`).state).toBe('zombie');
    expect(parseStat(`9 (x) ${STAT_TAIL.replace(/^S/, 'W')}`).state).toBe('other');
  });

  it('accepts an old kernel without delayacct field (blkio 0)', () => {
    const short = STAT_TAIL.split(' ').slice(0, 30).join(' ');
    expect(parseStat(`5 (old) ${short}`).blkioTicks).toBe(0);
    expect(parseStat(`5 (old) ${short}`).processor).toBeNull();
  });

  it('reads the CPU the task last ran on (field 39)', () => {
    const f = STAT_TAIL.split(' ');
    f[39 - 3] = '7';
    expect(parseStat(`4242 (postgres) ${f.join(' ')}`).processor).toBe(7);
    expect(parseStat(`4242 (postgres) ${STAT_TAIL}`).processor).toBe(0);
  });

  it.each([
    ['', 'empty'],
    ['123 no parens', 'no comm'],
    ['1 (a) S 1', 'truncated'],
    [`1 (a) ${STAT_TAIL.replace('250', '-5')}`, 'negative'],
    [`1 (a) ${STAT_TAIL.replace('250', '99999999999999999999')}`, 'huge'],
  ])('throws a ReadError on %j (%s)', (text) => {
    expect(() => parseStat(text)).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('stat: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseStat, `4242 (postgres) ${STAT_TAIL}`, { seed: 42 });
  });
});
