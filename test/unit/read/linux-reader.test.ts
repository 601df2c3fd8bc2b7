import type { Logger } from '../../../exporter/src/log/logger';
import { createLinuxReader } from '../../../exporter/src/read/linux-reader';
import { ProcFs } from '../../../exporter/src/read/procfs';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('identity reads count what they could not read (real /proc)', () => {
  it('does not count the missing exe of a kernel thread (kthreadd, pid 2)', () => {
    const reader = createLinuxReader({ fs: new ProcFs(), threadTaskCap: 256, logger: quiet, cgroupRoot: '/nonexistent', privileged: true });
    const { identity, errors } = reader.readIdentity(2);
    expect(identity.kernelThread).toBe(true);
    expect(identity.exe).toBe('');
    expect(errors.vanished).toBeUndefined();
    expect(errors.io).toBeUndefined();
  });
});
