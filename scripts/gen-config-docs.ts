// Regenerates docs/config.md from the flags and the config schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDoc } from '../exporter/src/config/docs';

const root = join(__dirname, '..');
const out = join(root, 'docs', 'config.md');
writeFileSync(out, renderConfigDoc(readFileSync(join(root, 'exporter', 'config.example.yml'), 'utf8')));
console.log(`wrote ${out}`);
