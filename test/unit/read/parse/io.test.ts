import { ReadError } from '../../../../exporter/src/errors';
import { parseIo } from '../../../../exporter/src/read/parse/io';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseIo', () => {
  it('reads the block-device bytes', () => {
    expect(parseIo('rchar: 9\nwchar: 9\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n')).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(() => parseIo('rchar: 1\n')).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('io: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseIo, 'read_bytes: 1\nwrite_bytes: 2\n', { seed: 1981390592 });
  });
});
