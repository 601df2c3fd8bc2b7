import { lineValue } from '../../../../exporter/src/read/parse/fields';

describe('lineValue', () => {
  const text = 'Name:\tsleep\nUid:\t0\t0\t0\t0\nVmRSS:\t  1024 kB\nrchar: 1\ncancelled_write_bytes: 9\nwrite_bytes: 2\n';

  it('gives the trimmed value of the line the key starts', () => {
    expect(lineValue(text, 'Name')).toBe('sleep');
    expect(lineValue(text, 'VmRSS')).toBe('1024 kB');
    expect(lineValue(text, 'Uid')).toBe('0\t0\t0\t0');
  });

  it('matches a key only at the start of a line and before its colon', () => {
    expect(lineValue(text, 'write_bytes')).toBe('2'); // not cancelled_write_bytes
    expect(lineValue(text, 'Vm')).toBeUndefined(); // VmRSS is another key
    expect(lineValue(text, 'sleep')).toBeUndefined();
  });

  it('reads a last line without a newline, and an empty value', () => {
    expect(lineValue('a: 1\nb: 2', 'b')).toBe('2');
    expect(lineValue('a:\n', 'a')).toBe('');
    expect(lineValue('', 'a')).toBeUndefined();
  });
});
