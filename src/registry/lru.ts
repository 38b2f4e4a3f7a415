/**
 * A bounded least-recently-used map (Map keeps insertion order; recency by second chance, see
 * createLru), limited both by entry count and by a total weight such as bytes.
 */

/** A bounded LRU cache. */
export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

/** Limits of an LRU cache. */
export interface LruOptions<V> {
  /** most entries kept; requires >= 1 */
  readonly maxEntries: number;
  /** most total weight kept (default: unlimited) */
  readonly maxWeight?: number;
  /** weight of one value (default 1) */
  readonly weigh?: (value: V) => number;
}

interface Slot<V> {
  readonly value: V;
  readonly weight: number;
  /** read since it was inserted or last given its second chance */
  used: boolean;
}

/**
 * Creates an LRU cache; a value heavier than `maxWeight` alone is not kept. Recency is tracked
 * the CLOCK way (second chance): a hit only marks its entry, and eviction moves a marked oldest
 * entry to the young end instead of dropping it. A hit used to delete and re-insert its key,
 * which on a registry serving tens of thousands of manifests cost more than the rest of a GET.
 */
export function createLru<V>(options: LruOptions<V>): Lru<V> {
  const map = new Map<string, Slot<V>>();
  const weigh = options.weigh ?? ((): number => 1);
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  let weight = 0;
  const remove = (key: string): void => {
    const old = map.get(key);
    if (old === undefined) return;
    weight -= old.weight;
    map.delete(key);
  };
  // makes room for one more entry of weight `w` before it is inserted, so that marked entries
  // moved to the young end still sit before it: a new entry is never the first victim
  const evictFor = (w: number): void => {
    while (map.size + 1 > options.maxEntries || weight + w > maxWeight) {
      const oldest = map.entries().next();
      if (oldest.done === true) break;
      const [key, slot] = oldest.value;
      map.delete(key);
      if (slot.used) { slot.used = false; map.set(key, slot); } else weight -= slot.weight;
    }
  };
  return {
    get(key) {
      const slot = map.get(key);
      if (slot === undefined) return undefined;
      slot.used = true;
      return slot.value;
    },
    set(key, value) {
      remove(key);
      const w = weigh(value);
      if (w > maxWeight) return;
      evictFor(w);
      map.set(key, { value, weight: w, used: false });
      weight += w;
    },
    delete: remove,
    clear() { map.clear(); weight = 0; },
    get size() { return map.size; },
  };
}
