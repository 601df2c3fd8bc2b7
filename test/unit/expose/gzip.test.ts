import { crc32, gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32Combine, deflatePiece, gzipPieces } from '../../../exporter/src/expose/gzip';

describe('gzip from pieces compressed apart', () => {
  it('combines CRC-32s as zlib does', () => {
    const a = Buffer.from('procsight_group_processes{group="web"} 3\n');
    const b = Buffer.from('x'.repeat(100_000) + 'é');
    expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
    expect(crc32Combine(crc32(a), crc32(Buffer.alloc(0)), 0)).toBe(crc32(a));
    expect(crc32Combine(0, crc32(b), b.length)).toBe(crc32(b));
  });

  it('joins pieces into one gzip member that zlib and gzip(1) decompress to their concatenation', () => {
    const texts = ['# HELP a x\n# TYPE a gauge\na{g="1"} 1\n'.repeat(2000), '\n', 'b 2\n', '', 'ünïcode {"q"} \\ end\n'];
    const zipped = gzipPieces(texts.map((t) => deflatePiece(t)));
    expect(gunzipSync(zipped).toString('utf8')).toBe(texts.join(''));
    expect(zipped.length).toBeLessThan(Buffer.byteLength(texts.join('')) / 20);
    // A second, independent decoder (it also checks the CRC and length in the trailer).
    const dir = mkdtempSync(join(tmpdir(), 'procsight-gzip-'));
    try {
      writeFileSync(join(dir, 'body.gz'), zipped);
      expect(execFileSync('gzip', ['-t', '-v', join(dir, 'body.gz')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBeDefined();
      expect(execFileSync('gzip', ['-dc', join(dir, 'body.gz')], { encoding: 'utf8' })).toBe(texts.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes an empty body from no pieces', () => {
    expect(gunzipSync(gzipPieces([])).length).toBe(0);
  });
});
