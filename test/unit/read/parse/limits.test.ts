import { ReadError } from '../../../../exporter/src/errors';
import { parseOpenFilesLimit } from '../../../../exporter/src/read/parse/limits';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseOpenFilesLimit', () => {
  it('reads the soft open-files limit, null when unlimited', () => {
    expect(parseOpenFilesLimit('Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 4096                 files\n')).toBe(1024);
    expect(parseOpenFilesLimit('Max open files            unlimited            unlimited            files\n')).toBeNull();
    expect(() => parseOpenFilesLimit('Max processes 1 1\n')).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('limits: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseOpenFilesLimit, 'Max open files 1024 4096 files\n', { seed: 1775858304 });
  });
});
