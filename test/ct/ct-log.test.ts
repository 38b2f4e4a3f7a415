import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, hashBytes } from '../../src/core/index.ts';
import { issueCertificate } from '../../src/ca/issue.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/merkle/index.ts';
import { parseCertificate } from '../../src/verify/index.ts';
import { verifyEmbeddedScts } from '../../src/verify/sct.ts';
import { isMessageSignatureValid, parsePublicKeyInfo } from '../../src/verify/signature.ts';
import type { TransparencyLogInstance } from '../../src/verify/trust-root.ts';
import { openCtLog } from '../../src/ct/index.ts';
import { openSqliteCtStore } from '../../src/adapters/sqlite/ct-store.ts';
import { createTestCa, EMAIL_IDENTITY, GITHUB_IDENTITY } from '../ca/support.ts';

function ctlogOf(spkiDer: Uint8Array): TransparencyLogInstance {
  return { baseUrl: 'http://ct.test', spkiDer, algorithm: 'ecdsa-p256-sha256', keyDetails: 'PKIX_ECDSA_P256_SHA_256', logId: hashBytes('sha256', spkiDer), validFor: { start: new Date(0) } };
}

test('an issued certificate carries an SCT that src/verify/sct.ts accepts, and the CT tree holds its precertificate', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256');
  const issued = await issueCertificate(ca.issuer, GITHUB_IDENTITY, key.publicKey().toSpkiDer());
  const leaf = parseCertificate(issued.certificateDer);
  const sct = verifyEmbeddedScts(leaf, parseCertificate(ca.intermediateDer), [ctlogOf(ca.ctSigner.spkiDer)]);
  assert.equal(sct.timestampMs, BigInt(ca.now.getTime()));
  // an SCT from another log key does not verify
  const other = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  assert.throws(() => verifyEmbeddedScts(leaf, parseCertificate(ca.intermediateDer), [{ ...ctlogOf(other), logId: hashBytes('sha256', ca.ctSigner.spkiDer) }]), { code: 'ERR_SCT_INVALID' });
  const head = await ca.ct.latestHead();
  assert.equal(head.treeSize, 1);
  const [entry] = await ca.ct.entries(0, 0, 10);
  assert.ok(entry);
  verifyInclusion(0n, 1n, hashLeaf(entry.leafInput), [], head.rootHash);
});

test('tree heads are signed, inclusion and consistency proofs verify as the tree grows', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  const heads = [];
  for (let i = 0; i < 7; i++) {
    await issueCertificate(ca.issuer, EMAIL_IDENTITY, key);
    heads.push(await ca.ct.latestHead());
  }
  const last = heads[6];
  assert.ok(last && last.treeSize === 7);
  // the tree head signature: DigitallySigned(4, 3, sig) over version, type 1, timestamp, size, root
  const input = new Uint8Array(2 + 8 + 8 + 32);
  const view = new DataView(input.buffer);
  input[1] = 1;
  view.setBigUint64(2, BigInt(last.timestampMs));
  view.setBigUint64(10, 7n);
  input.set(last.rootHash, 18);
  assert.deepEqual([...last.signature.subarray(0, 2)], [4, 3]);
  assert.ok(isMessageSignatureValid(parsePublicKeyInfo(ca.ctSigner.spkiDer), { hash: 'sha256' }, input, last.signature.subarray(4)));
  const entries = await ca.ct.entries(0, 6, 100);
  for (const e of entries) {
    const proof = await ca.ct.proofByHash(hashLeaf(e.leafInput), 7);
    assert.equal(proof.leafIndex, e.index);
    verifyInclusion(BigInt(e.index), 7n, hashLeaf(e.leafInput), proof.auditPath, last.rootHash);
  }
  for (const h of heads.slice(0, 6)) verifyConsistency(BigInt(h.treeSize), 7n, await ca.ct.consistency(h.treeSize, 7), h.rootHash, last.rootHash);
  await assert.rejects(ca.ct.consistency(3, 8), { code: 'ERR_CT_PARAM_INVALID' });
  await assert.rejects(ca.ct.proofByHash(new Uint8Array(32), 7), { code: 'ERR_CT_NOT_FOUND' });
});

function flipLast(der: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
  return copy;
}

test('the log refuses chains it cannot accept, and writes nothing for them', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  let precert: Uint8Array[] = [];
  const issued = await issueCertificate({ ...ca.issuer, logPrecertificate: async (chain) => { precert = [...chain]; return ca.issuer.logPrecertificate(chain); } }, EMAIL_IDENTITY, key);
  const cases: { name: string; chain: Uint8Array[]; precert: boolean }[] = [
    { name: 'empty chain', chain: [], precert: true },
    { name: 'garbage', chain: [new Uint8Array([1, 2, 3])], precert: true },
    { name: 'final certificate to add-pre-chain', chain: [issued.certificateDer, ...issued.chainDer], precert: true },
    { name: 'precertificate to add-chain', chain: precert, precert: false },
    { name: 'precertificate without its issuer', chain: precert.slice(0, 1), precert: true },
    { name: 'chain out of order', chain: [precert[0] as Uint8Array, precert[2] as Uint8Array], precert: true },
    { name: 'precertificate with a trailing byte', chain: [Uint8Array.from([...(precert[0] as Uint8Array), 0]), ...precert.slice(1)], precert: true },
    { name: 'precertificate cut short', chain: [(precert[0] as Uint8Array).subarray(0, 200), ...precert.slice(1)], precert: true },
    { name: 'precertificate whose signature does not verify', chain: [flipLast(precert[0] as Uint8Array), ...precert.slice(1)], precert: true },
  ];
  for (const c of cases) await assert.rejects(ca.ct.add(c.chain, c.precert), { code: 'ERR_CT_SUBMISSION_INVALID' }, c.name);
  // a chain under a root the log does not accept
  const foreign = await createTestCa();
  const other = await issueCertificate({ ...foreign.issuer, logPrecertificate: async (chain) => { precert = [...chain]; return foreign.issuer.logPrecertificate(chain); } }, EMAIL_IDENTITY, key);
  assert.ok(other);
  await assert.rejects(ca.ct.add(precert, true), { code: 'ERR_CT_SUBMISSION_INVALID' });
  assert.equal((await ca.ct.latestHead()).treeSize, 1);
  // add-chain takes the final certificate
  const sct = await ca.ct.add([issued.certificateDer, ...issued.chainDer], false);
  assert.equal(sct.logId.byteLength, 32);
  assert.equal((await ca.ct.latestHead()).treeSize, 2);
});

test('reopening the store keeps the tree and appends after it', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  for (let i = 0; i < 3; i++) await issueCertificate(ca.issuer, EMAIL_IDENTITY, key);
  const before = await ca.ct.latestHead();
  const reopened = await openCtLog({ store: ca.ctStore, signer: ca.ctSigner, roots: [ca.rootDer], clock: () => ca.now });
  assert.deepEqual((await reopened.latestHead()).rootHash, before.rootHash);
  const logToReopened = async (chain: readonly Uint8Array[]) => { const s = await reopened.add(chain, true); return { ...s, timestampMs: BigInt(s.timestampMs) }; };
  await issueCertificate({ ...ca.issuer, logPrecertificate: logToReopened }, EMAIL_IDENTITY, key);
  const after = await reopened.latestHead();
  assert.equal(after.treeSize, 4);
  verifyConsistency(3n, 4n, await reopened.consistency(3, 4), before.rootHash, after.rootHash);
});

test('concurrent submissions are committed in batches: every SCT matches its leaf and every leaf proves into the head', async () => {
  const ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  const chains: Uint8Array[][] = [];
  const capture = { ...ca.issuer, logPrecertificate: async (chain: readonly Uint8Array[]) => { chains.push([...chain]); return ca.issuer.logPrecertificate(chain); } };
  await issueCertificate(capture, EMAIL_IDENTITY, key);
  // a second log over a fresh store, whose clock ticks, so that the same chain makes distinct leaves
  let tick = 0;
  const log = await openCtLog({ store: openSqliteCtStore(':memory:'), signer: ca.ctSigner, roots: [ca.rootDer], clock: () => new Date(ca.now.getTime() + tick++) });
  // one bad chain among good ones fails alone
  const results = await Promise.allSettled([...Array(21).keys()].map((i) => (i === 7 ? log.add([new Uint8Array([1])], true) : log.add(chains[0] ?? [], true))));
  assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
  const head = await log.latestHead();
  assert.equal(head.treeSize, 20);
  const entries = await log.entries(0, 19, 100);
  assert.deepEqual(entries.map((e) => e.index), [...Array(20).keys()]);
  for (const e of entries) {
    const proof = await log.proofByHash(hashLeaf(e.leafInput), 20);
    verifyInclusion(BigInt(e.index), 20n, hashLeaf(e.leafInput), proof.auditPath, head.rootHash);
  }
  const timestamps = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.timestampMs] : []));
  assert.equal(timestamps.length, 20);
  assert.equal(new Set(timestamps).size, 20);
  const ctKey = parsePublicKeyInfo(ca.ctSigner.spkiDer);
  for (const r of results) {
    if (r.status !== 'fulfilled') continue;
    const leaf = entries.find((e) => new DataView(e.leafInput.buffer, e.leafInput.byteOffset).getBigUint64(2) === BigInt(r.value.timestampMs));
    assert.ok(leaf && isMessageSignatureValid(ctKey, { hash: 'sha256' }, leaf.leafInput, r.value.signature.subarray(4)));
  }
});
