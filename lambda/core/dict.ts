// Tallies keyed by API data (status, provider, agent id, ...) must not be plain objects: a key
// named `__proto__` would set the prototype instead of a count, and a lookup of `constructor` or
// `toString` would find Object.prototype's function. A null-prototype object has neither problem
// and still serializes to the same JSON.

/** A null-prototype record holding `entries` in order. */
export function dict<V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** The entry `map` holds for `key`, made by `make` and added on first use. */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = make();
    map.set(key, entry);
  }
  return entry;
}
