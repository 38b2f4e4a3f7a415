// Table-driven cases of the registry's pure helpers: pagination, ranges, the LRU cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLru, paginate, parseBlobRange, parseContentRange, parsePageSize, formatUploadRange } from '../../src/registry/index.ts';

const items = ['a', 'b', 'c', 'd'];
const pageCases: { name: string; n: number | undefined; last: string | null; items: string[]; link?: string }[] = [
  { name: 'everything without n', n: undefined, last: null, items },
  { name: 'first page', n: 2, last: null, items: ['a', 'b'], link: '</p?n=2&last=b>; rel="next"' },
  { name: 'last page has no link', n: 2, last: 'b', items: ['c', 'd'] },
  { name: 'last between items', n: 1, last: 'bb', items: ['c'], link: '</p?n=1&last=c>; rel="next"' },
  { name: 'last past the end', n: 5, last: 'z', items: [] },
  { name: 'n = 0', n: 0, last: null, items: [] },
];
for (const c of pageCases) {
  test(`paginate: ${c.name}`, () => {
    const page = paginate(items, '/p', c.n, c.last);
    assert.deepEqual(page.items, c.items);
    assert.equal(page.link, c.link);
  });
}

test('parsePageSize accepts non-negative integers only', () => {
  assert.equal(parsePageSize(null), undefined);
  assert.equal(parsePageSize('7'), 7);
  assert.equal(parsePageSize('99999999'), 10_000);
  for (const bad of ['-1', '1.5', 'x', '1e3']) assert.throws(() => parsePageSize(bad), { code: 'ERR_OCI_PAGINATION_INVALID' });
});

const contentRanges: [string, { start: number; end: number } | string][] = [
  ['0-99', { start: 0, end: 99 }],
  ['bytes 5-9', { start: 5, end: 9 }],
  ['10-19/100', { start: 10, end: 19 }],
  ['9-5', 'ERR_OCI_UPLOAD_INVALID'],
  ['abc', 'ERR_OCI_UPLOAD_INVALID'],
];
for (const [input, want] of contentRanges) {
  test(`parseContentRange ${JSON.stringify(input)}`, () => {
    if (typeof want === 'string') assert.throws(() => parseContentRange(input), { code: want });
    else assert.deepEqual(parseContentRange(input), want);
  });
}

test('blob ranges: satisfiable single ranges only', () => {
  assert.deepEqual(parseBlobRange('bytes=0-3', 10), { start: 0, end: 3 });
  assert.deepEqual(parseBlobRange('bytes=4-', 10), { start: 4, end: 9 });
  assert.deepEqual(parseBlobRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseBlobRange('bytes=5-100', 10), { start: 5, end: 9 });
  for (const ignored of [undefined, 'bytes=10-', 'bytes=0-1,3-4', 'items=0-1', 'bytes=-0']) assert.equal(parseBlobRange(ignored, 10), undefined);
  assert.equal(formatUploadRange(0), '0-0');
  assert.equal(formatUploadRange(10), '0-9');
});

test('LRU evicts the least recently used by count and by weight', () => {
  const byCount = createLru<number>({ maxEntries: 2 });
  byCount.set('a', 1);
  byCount.set('b', 2);
  byCount.get('a');
  byCount.set('c', 3);
  assert.equal(byCount.get('b'), undefined);
  assert.equal(byCount.get('a'), 1);
  const byWeight = createLru<string>({ maxEntries: 10, maxWeight: 10, weigh: (s) => s.length });
  byWeight.set('x', 'aaaaaa');
  byWeight.set('y', 'bbbbbb');
  assert.equal(byWeight.get('x'), undefined);
  byWeight.set('z', 'c'.repeat(11));
  assert.equal(byWeight.get('z'), undefined);
  assert.equal(byWeight.get('y'), 'bbbbbb');
});

test('LRU: entries read since the last eviction pass outlive those never read; limits always hold', () => {
  const lru = createLru<number>({ maxEntries: 4, maxWeight: 100, weigh: (n) => n });
  for (const k of ['a', 'b', 'c', 'd']) lru.set(k, 1);
  lru.get('a');
  lru.get('c');
  lru.set('e', 1);
  lru.set('f', 1);
  assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => lru.get(k) !== undefined), [true, false, true, false, true, true]);
  // a seeded walk: the count and weight limits hold after every step, and a set value is readable at once
  let seed = 7;
  const next = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const weights = new Map<string, number>();
  for (let i = 0; i < 2000; i += 1) {
    const key = `k${next(12)}`;
    if (next(3) === 0) { lru.get(key); continue; }
    const w = 1 + next(40);
    lru.set(key, w);
    weights.set(key, w);
    assert.equal(lru.get(key), w);
    assert.ok(lru.size <= 4);
    const total = [...weights].filter(([k]) => lru.get(k) === weights.get(k)).reduce((sum, [, v]) => sum + v, 0);
    assert.ok(total <= 100, `weight ${total} over the limit`);
  }
  lru.delete('k1');
  assert.equal(lru.get('k1'), undefined);
});
