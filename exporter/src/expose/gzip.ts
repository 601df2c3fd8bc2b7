import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * gzip bodies assembled from pieces compressed once each. Every piece is a
 * raw deflate stream of its own (no back-reference before its start) that
 * ends with a sync flush (byte-aligned, not final), so pieces concatenate
 * into one valid deflate stream; a gzip header, an empty final block, the
 * CRC-32 of the whole (combined from the pieces' own, as zlib's
 * crc32_combine does) and the length complete it. pigz compresses in
 * parallel the same way. The exposition compresses each rendering once and
 * at a scrape only its small self-metrics piece.
 */
export interface DeflatedPiece {
  /** Raw deflate of the piece, ending with a sync flush. */
  data: Buffer;
  /** CRC-32 of the piece's bytes. */
  crc: number;
  /** The piece's length in bytes (uncompressed). */
  length: number;
}

/** zlib's default level: within a few per cent of level 9 on exposition text at a third of its time. */
const LEVEL = 6;

/**
 * Compressed on the calling thread (the HTTP front's; a rendering's time is in
 * docs/benchmarks.md): a scrape then never waits for libuv's thread pool,
 * which background compressions and DNS lookups share and which the exporter
 * keeps to one thread (main.ts).
 */
export function deflatePiece(text: string): DeflatedPiece {
  const bytes = Buffer.from(text, 'utf8');
  return { data: deflateRawSync(bytes, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH }), crc: crc32(bytes), length: bytes.length };
}

/** gzip header: deflate, no name or comment, no modification time, unknown OS (RFC 1952). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** One gzip member whose content is the pieces' content in order. */
export function gzipPieces(pieces: readonly DeflatedPiece[]): Buffer {
  let crc = 0;
  let length = 0;
  for (const p of pieces) {
    crc = crc32Combine(crc, p.crc, p.length);
    length += p.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return Buffer.concat([HEADER, ...pieces.map((p) => p.data), FINAL_BLOCK, trailer]);
}

/**
 * CRC-32 of A followed by B from crc(A), crc(B) and B's length: zlib's
 * crc32_combine (GF(2) matrix powers of the one-zero-bit operator), which
 * Node does not expose.
 */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const odd = new Uint32Array(32);
  const even = new Uint32Array(32);
  odd[0] = 0xedb88320; // the CRC-32 polynomial, reflected
  let row = 1;
  for (let n = 1; n < 32; n++) {
    odd[n] = row;
    row <<= 1;
  }
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let c1 = crc1 >>> 0;
  let len = len2;
  // Apply len2 zero bytes to crc1, squaring the operator for each bit of len2.
  do {
    square(even, odd);
    if (len & 1) c1 = times(even, c1);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len & 1) c1 = times(odd, c1);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (c1 ^ crc2) >>> 0;
}

function times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  let v = vec >>> 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= mat[i];
  return sum >>> 0;
}

function square(out: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) out[n] = times(mat, mat[n]);
}
