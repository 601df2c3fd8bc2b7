import { readFileSync } from 'node:fs';
import { errnoCode, errorMessage } from '../../../exporter/src/util/error-message';

describe('util/error-message', () => {
  it('gives the errno code of a failed system call, and nothing for other throws', () => {
    let thrown: unknown;
    try {
      readFileSync('/proc/0/definitely-not-there');
    } catch (e) {
      thrown = e;
    }
    expect(errnoCode(thrown)).toBe('ENOENT');
    expect(errnoCode(new Error('plain'))).toBeUndefined();
    expect(errnoCode({ code: 42 })).toBeUndefined();
    expect(errnoCode(null)).toBeUndefined();
    expect(errnoCode('ENOENT')).toBeUndefined();
  });

  it('gives a one-line message of anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage(7)).toBe('7');
  });
});
