/**
 * Two orderings of CPython 2 (64-bit), which the reference implementation of
 * CAD OSE (run by NAB under Python 2.7) depends on when it breaks ties. Kept
 * so that `ContextDetector` gives exactly NAB's published contextOSE scores;
 * neither ordering means anything in itself.
 */

const toInt64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** CPython 2's hash of a tuple of ints (an int hashes to itself, −1 to −2). */
export function cpython2TupleHash(items: readonly number[]): bigint {
  let x = 0x345678n;
  let mult = 1000003n;
  let len = items.length;
  for (const item of items) {
    len--;
    x = toInt64((x ^ BigInt(item === -1 ? -2 : item)) * mult);
    mult = toInt64(mult + 82520n + BigInt(2 * len));
  }
  x = toInt64(x + 97531n);
  return x === -1n ? -2n : x;
}

/**
 * A dict with non-negative int keys below 2^31, insert-only, that iterates in
 * CPython 2.7's order: by slot of its open-addressing table (slot = key & mask,
 * collisions probed by i = 5i + perturb + 1, perturb >>= 5; the table grows to
 * the first power of two above 4 × entries when two thirds full, re-inserting
 * in slot order).
 */
export class Cpython2IntDict<V> {
  /** The open-addressing table: a key's slot, and its value in the same slot. */
  private keys: Array<number | undefined> = new Array<number | undefined>(8);
  private values: Array<V | undefined> = new Array<V | undefined>(8);
  private used = 0;

  get size(): number {
    return this.used;
  }

  get(key: number): V | undefined {
    const slot = this.probe(key);
    return this.keys[slot] === key ? this.values[slot] : undefined;
  }

  set(key: number, value: V): void {
    if (!Number.isInteger(key) || key < 0 || key >= 2 ** 31) throw new RangeError(`Cpython2IntDict: key ${key} is not an integer in [0, 2^31)`);
    const slot = this.probe(key);
    if (this.keys[slot] === key) throw new RangeError(`Cpython2IntDict: key ${key} is already set (insert-only)`);
    this.keys[slot] = key;
    this.values[slot] = value;
    this.used++;
    if (this.used * 3 >= this.keys.length * 2) this.grow(this.used * (this.used > 50000 ? 2 : 4));
  }

  *[Symbol.iterator](): IterableIterator<[number, V]> {
    for (let slot = 0; slot < this.keys.length; slot++) {
      const key = this.keys[slot];
      if (key !== undefined) yield [key, this.values[slot] as V];
    }
  }

  /** The slot holding `key`, or the empty slot where it would go (CPython's probe sequence). */
  private probe(key: number): number {
    const mask = this.keys.length - 1;
    let i = key & mask;
    let perturb = key;
    // size_t arithmetic: only the low bits of i matter, so mod 2^32 is exact for the slot.
    while (this.keys[i & mask] !== undefined && this.keys[i & mask] !== key) {
      i = (i * 5 + perturb + 1) % 2 ** 32;
      perturb = Math.floor(perturb / 32);
    }
    return i & mask;
  }

  private grow(minUsed: number): void {
    let size = 8;
    while (size <= minUsed) size *= 2;
    const keys = this.keys;
    const values = this.values;
    this.keys = new Array<number | undefined>(size);
    this.values = new Array<V | undefined>(size);
    for (let slot = 0; slot < keys.length; slot++) {
      const key = keys[slot];
      if (key === undefined) continue;
      const to = this.probe(key);
      this.keys[to] = key;
      this.values[to] = values[slot];
    }
  }
}
