// Sums by key over 100k numbers: a Map lookup for each of a number's keys was most of what the
// audit cost. Numbers come sorted by country, and most share a status or type with the one
// before, so an add to the key just added to skips the Map; a sum lives in a box, so a new key is
// the only write to the Map.

interface Box {
  value: number;
}

export class Sums<K> {
  private readonly boxes = new Map<K, Box>();
  private lastKey: K | undefined;
  private last: Box | undefined;

  add(key: K, by = 1): void {
    if (this.last !== undefined && key === this.lastKey) {
      this.last.value += by;
      return;
    }
    let box = this.boxes.get(key);
    if (box === undefined) {
      box = { value: 0 };
      this.boxes.set(key, box);
    }
    box.value += by;
    this.lastKey = key;
    this.last = box;
  }

  has(key: K): boolean {
    return this.boxes.has(key);
  }

  /** 0 for a key never added to. */
  get(key: K): number {
    return this.boxes.get(key)?.value ?? 0;
  }

  /** In the order keys were first added. */
  keys(): K[] {
    return [...this.boxes.keys()];
  }
}
