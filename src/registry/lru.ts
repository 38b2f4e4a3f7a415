/**
 * A bounded least-recently-used map (Map keeps insertion order; a hit re-inserts the key),
 * limited both by entry count and by a total weight such as bytes.
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

/** Creates an LRU cache; a value heavier than `maxWeight` alone is not kept. */
export function createLru<V>(options: LruOptions<V>): Lru<V> {
  const map = new Map<string, V>();
  const weigh = options.weigh ?? ((): number => 1);
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  let weight = 0;
  const remove = (key: string): void => {
    const old = map.get(key);
    if (old === undefined) return;
    weight -= weigh(old);
    map.delete(key);
  };
  return {
    get(key) {
      const value = map.get(key);
      if (value === undefined) return undefined;
      map.delete(key);
      map.set(key, value);
      return value;
    },
    set(key, value) {
      remove(key);
      const w = weigh(value);
      if (w > maxWeight) return;
      map.set(key, value);
      weight += w;
      while (map.size > options.maxEntries || weight > maxWeight) {
        const oldest = map.keys().next();
        if (oldest.done === true) break;
        remove(oldest.value);
      }
    },
    delete: remove,
    clear() { map.clear(); weight = 0; },
    get size() { return map.size; },
  };
}
