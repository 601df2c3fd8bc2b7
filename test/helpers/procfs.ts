import { join } from 'node:path';
import { ProcFs } from '../../exporter/src/read/procfs';

/** The fixture /proc tree (test/fixtures/proc). */
export const FIXTURES_PROC = join(__dirname, '..', 'fixtures', 'proc');

/** An error as fs raises it, with its errno code. */
export function errno(code: string, what = 'refused'): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${what}`), { code });
}

/**
 * The fixtures tree, with some files refused as the kernel refuses them even
 * to root (EACCES from the ptrace access check; on this machine /proc/1/io of
 * the VM's init agent). A chmod cannot do that to a root test run.
 */
export class RefusingProcFs extends ProcFs {
  constructor(private readonly refused: ReadonlySet<string>) {
    super(FIXTURES_PROC);
  }

  override read(...parts: Array<string | number>): string {
    if (this.refused.has(parts.join('/'))) throw errno('EACCES');
    return super.read(...parts);
  }
}
