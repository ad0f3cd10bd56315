// Last week's ids, seen once each, checked without keeping the ids: a Set of 100k fresh id strings
// cost ~20 ms of the streamed diff (hashing into V8's table as it grows, and every id kept alive).
// Each id is kept as a 53-bit hash of its text instead. Equal ids always collide; different ids do
// once in ~10^6 runs of 100k, and a caller that treats a collision as a repeat only takes its exact path.

/** Ids seen so far, as hashes: `add` says whether the id's hash was already there. */
export class IdHashes {
  private table = new Float64Array(1 << 12);
  private mask = this.table.length - 1;
  private size = 0;

  /** True when added; false when this id (or, rarely, another with the same hash) was seen before. */
  add(id: string): boolean {
    const { key, slot } = this.find(id);
    if (this.table[slot] === key) return false;
    this.table[slot] = key;
    this.size += 1;
    if (this.size * 2 > this.table.length) this.grow();
    return true;
  }

  /** False only when the id was never added; true may be another id with the same hash. */
  has(id: string): boolean {
    const { key, slot } = this.find(id);
    return this.table[slot] === key;
  }

  /** The id's key (never 0, the empty slot) and its slot, or the empty slot where it would go. */
  private find(id: string): { key: number; slot: number } {
    let a = 0x811c9dc5 ^ id.length;
    let b = 0x9e3779b9 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    a ^= a >>> 13;
    b ^= b >>> 16;
    // 32 bits of one lane and 21 of the other: below 2^53, exact in a double; +1 keeps 0 for empty.
    const key = (a >>> 0) * 2 ** 21 + (b >>> 11) + 1;
    let slot = a & this.mask;
    while (this.table[slot] !== 0 && this.table[slot] !== key) slot = (slot + 1) & this.mask;
    return { key, slot };
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    for (const key of old) {
      if (key === 0) continue;
      // The slot comes from the lane that built the key's high part.
      let slot = Math.floor((key - 1) / 2 ** 21) & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = key;
    }
  }
}
