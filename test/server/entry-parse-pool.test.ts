// The worker-thread pool that checks new log entries: real workers give the canonical entry the
// main thread gives, the same error codes for bad entries, and keep working after close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCachedKeyParser, parseProposedEntry } from '../../src/tlog/index.ts';
import { startEntryParsePool } from '../../src/server/entry-parse-pool.ts';
import { makeProposals } from '../tlog/crash-support.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parseHere = (bytes: Uint8Array) => parseProposedEntry(bytes, createCachedKeyParser(8));

function tampered(body: string): string {
  const v = JSON.parse(body) as { spec: { data: { hash: { value: string } } } };
  const h = v.spec.data.hash.value;
  v.spec.data.hash.value = (h[0] === '0' ? '1' : '0') + h.slice(1);
  return JSON.stringify(v);
}

test('two workers canonicalize entries exactly as the main thread does, and refuse bad ones with the same codes', async () => {
  const pool = startEntryParsePool(2, parseHere);
  try {
    const bodies = makeProposals(40);
    const got = await Promise.all(bodies.map((b) => pool.parse(enc(b))));
    for (const [i, b] of bodies.entries()) {
      const want = parseHere(enc(b));
      assert.deepEqual({ ...got[i], body: Buffer.from(got[i]!.body).toString() }, { ...want, body: Buffer.from(want.body).toString() });
    }
    await assert.rejects(pool.parse(enc('{"kind":')), { code: 'ERR_TLOG_ENTRY_INVALID' });
    await assert.rejects(pool.parse(enc('{"kind":"nope","apiVersion":"0.0.1","spec":{}}')), { code: 'ERR_TLOG_ENTRY_INVALID' });
    await assert.rejects(pool.parse(enc(tampered(bodies[0]!))), { code: 'ERR_TLOG_ENTRY_SIGNATURE' });
  } finally {
    await pool.close();
  }
});

test('after close the pool parses on the main thread', async () => {
  const pool = startEntryParsePool(1, parseHere);
  await pool.close();
  const [body] = makeProposals(1);
  assert.equal((await pool.parse(enc(body!))).kind, 'hashedrekord');
  await assert.rejects(pool.parse(enc('[]')), { code: 'ERR_TLOG_ENTRY_INVALID' });
});

test('bad entries sent in the same batch as good ones get their own errors; the good ones are logged as canonical', async () => {
  const pool = startEntryParsePool(1, parseHere);
  try {
    const bodies = makeProposals(6);
    const mixed = [bodies[0]!, tampered(bodies[1]!), bodies[2]!, '{"kind":', bodies[3]!, tampered(bodies[4]!), bodies[5]!];
    const got = await Promise.allSettled(mixed.map((b) => pool.parse(enc(b))));
    const codes = got.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code));
    assert.deepEqual(codes, ['ok', 'ERR_TLOG_ENTRY_SIGNATURE', 'ok', 'ERR_TLOG_ENTRY_INVALID', 'ok', 'ERR_TLOG_ENTRY_SIGNATURE', 'ok']);
    for (const [i, r] of got.entries()) {
      if (r.status === 'fulfilled') assert.equal(Buffer.from(r.value.body).toString(), Buffer.from(parseHere(enc(mixed[i]!)).body).toString());
    }
  } finally {
    await pool.close();
  }
});
