import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * procsight's version, from exporter/package.json. Read at run time because
 * both src/ (tests) and dist/ (built) sit one level below that file.
 */
export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
