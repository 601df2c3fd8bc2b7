import { join } from 'node:path';

/** Where eval/forecast/record.ts writes the series recorded from this machine. */
export const MACHINE_DIR = join(__dirname, 'machine');
