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

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const byKind = (kind: string) => clone(vectors.find((v) => v.kind === kind)!.proposed) as Record<string, any>;

interface BadCase { readonly name: string; readonly make: () => unknown; readonly code: string }

const BAD: readonly BadCase[] = [
  { name: 'not an object', make: () => [1], code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'unknown kind', make: () => ({ ...byKind('hashedrekord'), kind: 'rekord' }), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'unknown version', make: () => ({ ...byKind('hashedrekord'), apiVersion: '0.0.2' }), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'hash of the wrong length', make: () => { const e = byKind('hashedrekord'); e.spec.data.hash.value += 'ab'; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'hash algorithm unknown', make: () => { const e = byKind('hashedrekord'); e.spec.data.hash.algorithm = 'md5'; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'another digest', make: () => { const e = byKind('hashedrekord'); e.spec.data.hash.value = '0'.repeat(64); return e; }, code: 'ERR_TLOG_ENTRY_SIGNATURE' },
  { name: 'signature not base64', make: () => { const e = byKind('hashedrekord'); e.spec.signature.content = '%%%'; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'key not pem', make: () => { const e = byKind('hashedrekord'); e.spec.signature.publicKey.content = encodeBase64(new TextEncoder().encode('nope')); return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'missing data', make: () => { const e = byKind('hashedrekord'); delete e.spec.data; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'dsse envelope not json', make: () => { const e = byKind('dsse'); e.spec.proposedContent.envelope = '{'; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  {
    name: 'dsse payload changed', code: 'ERR_TLOG_ENTRY_SIGNATURE', make: () => {
      const e = byKind('dsse');
      const env = JSON.parse(e.spec.proposedContent.envelope);
      env.payload = encodeBase64(new TextEncoder().encode('other'));
      e.spec.proposedContent.envelope = JSON.stringify(env);
      return e;
    },
  },
  { name: 'dsse proposed and canonical fields together', make: () => { const e = byKind('dsse'); e.spec.payloadHash = { algorithm: 'sha256', value: '0'.repeat(64) }; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'intoto without hash', make: () => { const e = byKind('intoto'); delete e.spec.content.hash; return e; }, code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: 'intoto payload type changed', make: () => { const e = byKind('intoto'); e.spec.content.envelope.payloadType = 'x'; return e; }, code: 'ERR_TLOG_ENTRY_SIGNATURE' },
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
  const entry = canonicalizeProposedEntry(byKind('hashedrekord'));
  assert.ok(entry.searchKeys.some((k) => /^sha256:[0-9a-f]{64}$/.test(k)));
  assert.ok(entry.searchKeys.includes('brian@dehamer.com'), entry.searchKeys.join(' '));
});
