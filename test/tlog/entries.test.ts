// Canonicalization of proposed entries against production Rekor bodies, and the 400s for bad ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBase64 } from '../../src/core/index.ts';
import { canonicalizeProposedEntry } from '../../src/tlog/entries/proposed-entry.ts';
import { loadEntryVectors } from './vectors.ts';

const vectors = loadEntryVectors();

for (const v of vectors) {
  test(`${v.name}: the rebuilt proposed entry canonicalizes to the production body`, () => {
    const entry = canonicalizeProposedEntry(v.proposed);
    assert.equal(entry.kind, v.kind);
    assert.equal(encodeBase64(entry.body), v.canonicalizedBody);
    assert.equal(entry.insertable, true);
  });
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A vector's proposed entry with the field at `path` replaced by `change(old)` (undefined deletes it). */
function mutate(kind: string, path: readonly string[], change: (old: Json | undefined) => Json | undefined): unknown {
  const root = JSON.parse(JSON.stringify(vectors.find((v) => v.kind === kind)!.proposed)) as { [key: string]: Json };
  let at: { [key: string]: Json } = root;
  for (const key of path.slice(0, -1)) at = at[key] as { [key: string]: Json };
  const last = path[path.length - 1]!;
  const next = change(at[last]);
  if (next === undefined) delete at[last]; else at[last] = next;
  return root;
}

const b64 = (text: string): string => encodeBase64(new TextEncoder().encode(text));
const withPayload = (envelope: Json | undefined): Json => JSON.stringify({ ...JSON.parse(String(envelope)), payload: b64('other') });

interface BadCase { readonly name: string; readonly make: () => unknown; readonly code: string }

const BAD: readonly BadCase[] = [
  { name: 'not an object', make: () => [1], code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'unknown kind', make: () => mutate('hashedrekord', ['kind'], () => 'rekord'), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'unknown version', make: () => mutate('hashedrekord', ['apiVersion'], () => '0.0.2'), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'hash of the wrong length', make: () => mutate('hashedrekord', ['spec', 'data', 'hash', 'value'], (v) => `${String(v)}ab`), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'hash algorithm unknown', make: () => mutate('hashedrekord', ['spec', 'data', 'hash', 'algorithm'], () => 'md5'), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'another digest', make: () => mutate('hashedrekord', ['spec', 'data', 'hash', 'value'], () => '0'.repeat(64)), code: 'ERR_TLOG_ENTRY_SIGNATURE' },
  { name: 'signature not base64', make: () => mutate('hashedrekord', ['spec', 'signature', 'content'], () => '%%%'), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'key not pem', make: () => mutate('hashedrekord', ['spec', 'signature', 'publicKey', 'content'], () => b64('nope')), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'missing data', make: () => mutate('hashedrekord', ['spec', 'data'], () => undefined), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'dsse envelope not json', make: () => mutate('dsse', ['spec', 'proposedContent', 'envelope'], () => '{'), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'dsse payload changed', make: () => mutate('dsse', ['spec', 'proposedContent', 'envelope'], withPayload), code: 'ERR_TLOG_ENTRY_SIGNATURE' },
  { name: 'dsse proposed and canonical fields together', make: () => mutate('dsse', ['spec', 'payloadHash'], () => ({ algorithm: 'sha256', value: '0'.repeat(64) })), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'intoto without hash', make: () => mutate('intoto', ['spec', 'content', 'hash'], () => undefined), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'intoto payload type changed', make: () => mutate('intoto', ['spec', 'content', 'envelope', 'payloadType'], () => 'x'), code: 'ERR_TLOG_ENTRY_SIGNATURE' },
];

for (const c of BAD) {
  test(`a proposed entry with ${c.name} is refused with ${c.code}`, () => {
    assert.throws(() => canonicalizeProposedEntry(c.make()), (e: Error & { code?: string }) => {
      assert.equal(e.code, c.code);
      assert.match(e.message, /^error processing entry: /);
      return true;
    });
  });
}

test('a dsse entry given by its canonical fields can be looked up but not inserted', () => {
  const v = vectors.find((x) => x.kind === 'dsse')!;
  const body = JSON.parse(Buffer.from(v.canonicalizedBody, 'base64').toString());
  const entry = canonicalizeProposedEntry({ kind: 'dsse', apiVersion: '0.0.1', spec: body.spec });
  assert.equal(entry.insertable, false);
  assert.equal(encodeBase64(entry.body), v.canonicalizedBody);
});

test('search keys hold the artifact hash, the key fingerprint and the certificate email', () => {
  const entry = canonicalizeProposedEntry(vectors.find((v) => v.kind === 'hashedrekord')!.proposed);
  assert.ok(entry.searchKeys.some((k) => /^sha256:[0-9a-f]{64}$/.test(k)));
  assert.ok(entry.searchKeys.includes('brian@dehamer.com'), entry.searchKeys.join(' '));
});
