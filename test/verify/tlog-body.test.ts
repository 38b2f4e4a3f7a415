import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashBytes } from '../../src/core/index.ts';
import { verifyEntryBody, type SignedContent } from '../../src/verify/tlog-body.ts';
import type { TransparencyLogEntry } from '../../src/bundle/index.ts';
import { flipByte, loadCase } from './corpus.ts';

function contentOf(name: string): { entry: TransparencyLogEntry; content: SignedContent } {
  const c = loadCase(name);
  const entry = c.bundle.verificationMaterial.tlogEntries[0];
  assert.ok(entry && c.leaf && c.bundle.content.kind === 'message');
  const { artifact } = c;
  return { entry, content: { signature: c.bundle.content.signature, verifier: { kind: 'certificate', der: c.leaf.der }, digestFor: (alg) => hashBytes(alg, artifact) } };
}

for (const name of ['happy-path-v0.3', 'rekor2-happy-path']) {
  test(`${name}: the body records the bundle's signature, certificate and digest`, () => {
    const { entry, content } = contentOf(name);
    verifyEntryBody(entry, content);
    assert.throws(() => verifyEntryBody(entry, { ...content, signature: flipByte(content.signature, 5) }), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
    assert.throws(() => verifyEntryBody(entry, { ...content, verifier: { kind: 'certificate', der: flipByte(content.verifier.der, 100) } }), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
    assert.throws(() => verifyEntryBody(entry, { ...content, digestFor: () => new Uint8Array(32) }), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
    assert.throws(() => verifyEntryBody(entry, { ...content, digestFor: () => undefined }), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
  });
}

test('a body of another kind than the entry claims, or of an unknown kind, is refused', () => {
  const { entry, content } = contentOf('happy-path-v0.3');
  assert.throws(() => verifyEntryBody({ ...entry, kindVersion: { kind: 'hashedrekord', version: '0.0.2' } }, content), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
  const rekord = new TextEncoder().encode(JSON.stringify({ apiVersion: '0.0.1', kind: 'rekord', spec: {} }));
  assert.throws(() => verifyEntryBody({ ...entry, kindVersion: { kind: 'rekord', version: '0.0.1' }, canonicalizedBody: rekord }, content), { code: 'ERR_VERIFY_TLOG_KIND_UNSUPPORTED' });
});

test('a dsse entry cannot stand for a message signature', () => {
  const c = loadCase('happy-path-intoto-in-dsse-v3');
  const entry = c.bundle.verificationMaterial.tlogEntries[0];
  const { content } = contentOf('happy-path-v0.3');
  assert.ok(entry);
  assert.throws(() => verifyEntryBody(entry, content), { code: 'ERR_VERIFY_TLOG_ENTRY_MISMATCH' });
});
