// Last week's ids, seen once each, checked without keeping the ids: a Set of 100k fresh id strings
// cost ~20 ms of the streamed diff (hashing into V8's table as it grows, and every id kept alive).
// Each id is kept as a 53-bit hash of its text instead. Equal ids always collide; different ids do
// once in ~10^6 runs of 100k, and a caller that treats a collision as a repeat only takes its exact path.

const HIGH = 2 ** 21;

/** Ids seen so far, as hashes: `add` says whether the id's hash was already there. */
export class IdHashes {
  private table: Float64Array;
  private mask: number;
  private size = 0;

  /** `expected`: about how many ids will be added (the table then never grows). */
  constructor(expected = 0) {
    let capacity = 1 << 12;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** True when added; false when this id (or, rarely, another with the same hash) was seen before. */
  add(id: string): boolean {
    return this.addKey(keyOf(id));
  }

  /**
   * `add` for the id written as a JSON string in `bytes` from `from` (after its opening quote), read
   * in place: null, adding nothing, unless its text is ASCII with no escape (so its bytes are its text).
   */
  addWritten(bytes: Uint8Array, from: number): boolean | null {
    const key = keyOfWritten(bytes, from);
    return key === 0 ? null : this.addKey(key);
  }

  private addKey(key: number): boolean {
    const slot = this.slotOf(key);
    if (this.table[slot] === key) return false;
    this.table[slot] = key;
    this.size += 1;
    if (this.size * 2 > this.table.length) this.grow();
    return true;
  }

  /** False only when the id was never added; true may be another id with the same hash. */
  has(id: string): boolean {
    const key = keyOf(id);
    return this.table[this.slotOf(key)] === key;
  }

  /** The key's slot, or the empty slot where it would go: linear probing from its high 32 bits. */
  private slotOf(key: number): number {
    let slot = Math.floor(key / HIGH) & this.mask;
    while (this.table[slot] !== 0 && this.table[slot] !== key) slot = (slot + 1) & this.mask;
    return slot;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (const key of old) if (key !== 0) this.table[this.slotOf(key)] = key;
  }
}

const FNV_BASIS = 0x811c9dc5;
const GOLDEN = 0x9e3779b9;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A 53-bit hash of the id's UTF-16 text, never 0 (the empty slot): two 32-bit lanes, 32 + 21 bits kept. */
function keyOf(id: string): number {
  let a = FNV_BASIS;
  let b = GOLDEN;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return finish(a, b, id.length);
}

/** keyOf of the JSON string's text in bytes from `from` up to its closing quote; 0 when that text is not ASCII without escapes. */
function keyOfWritten(bytes: Uint8Array, from: number): number {
  let a = FNV_BASIS;
  let b = GOLDEN;
  let i = from;
  for (; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) return finish(a, b, i - from);
    // Here a byte is a UTF-16 unit of the text only when it is ASCII and not an escape.
    if (c === BACKSLASH || c > 0x7f) return 0;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return 0;
}

/** Both lanes mixed with the text's length into a key: at most 2^53, exact in a double; never 0. */
function finish(lane1: number, lane2: number, length: number): number {
  let a = Math.imul(lane1 ^ length ^ (lane1 >>> 16), 0x85ebca6b);
  let b = Math.imul(lane2 ^ length ^ (lane2 >>> 13), 0xc2b2ae35);
  a ^= a >>> 13;
  b ^= b >>> 16;
  return (a >>> 0) * HIGH + (b >>> 11) + 1;
}
