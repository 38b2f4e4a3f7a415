// The RFC 6962 HTTP API of the CT log, in process on a loopback port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { generatePrivateKey } from '../../src/core/index.ts';
import { issueCertificate } from '../../src/ca/index.ts';
import { createCtRoutes } from '../../src/ct/index.ts';
import { createHttpServer, drainServer } from '../../src/http/serve.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/merkle/index.ts';
import { createTestCa, EMAIL_IDENTITY, type TestCa } from '../ca/support.ts';

let server: Server;
let base = '';
let ca: TestCa;
let chain: Uint8Array[] = [];

before(async () => {
  ca = await createTestCa();
  const key = generatePrivateKey('ecdsa-p256').publicKey().toSpkiDer();
  for (let i = 0; i < 5; i++) {
    const issued = await issueCertificate(ca.issuer, EMAIL_IDENTITY, key);
    chain = [issued.certificateDer, ...issued.chainDer];
  }
  server = createHttpServer({ routes: createCtRoutes(ca.ct), baseUrl: () => base, fallbackDialect: 'plain', onInternalError: () => undefined });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => { await drainServer(server, 1000); });

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/ct/v1/${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('add-chain logs a final certificate; get-sth, get-entries, get-proof-by-hash and get-sth-consistency agree', async () => {
  const old = (await get('get-sth')).body;
  const res = await fetch(`${base}/ct/v1/add-chain`, { method: 'POST', body: JSON.stringify({ chain: chain.map(b64) }) });
  assert.equal(res.status, 200);
  const sct = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(sct).sort(), ['extensions', 'id', 'sct_version', 'signature', 'timestamp']);
  assert.equal(sct['sct_version'], 0);
  const sth = (await get('get-sth')).body as { tree_size: number; sha256_root_hash: string; tree_head_signature: string; timestamp: number };
  assert.equal(sth.tree_size, 6);
  const entries = (await get('get-entries?start=5&end=5')).body['entries'] as { leaf_input: string; extra_data: string }[];
  assert.equal(entries.length, 1);
  const leafInput = bytes(entries[0]?.leaf_input ?? '');
  // a timestamped x509_entry: version 0, leaf type 0, the SCT's timestamp, entry type 0, the certificate
  assert.deepEqual([...leafInput.subarray(0, 2)], [0, 0]);
  assert.equal(new DataView(leafInput.buffer, leafInput.byteOffset).getBigUint64(2), BigInt(sct['timestamp'] as number));
  assert.deepEqual([...leafInput.subarray(10, 12)], [0, 0]);
  const leafHash = hashLeaf(leafInput);
  const proof = (await get(`get-proof-by-hash?hash=${encodeURIComponent(b64(leafHash))}&tree_size=6`)).body as { leaf_index: number; audit_path: string[] };
  assert.equal(proof.leaf_index, 5);
  verifyInclusion(5n, 6n, leafHash, proof.audit_path.map(bytes), bytes(sth.sha256_root_hash));
  const consistency = (await get(`get-sth-consistency?first=${old['tree_size']}&second=6`)).body as { consistency: string[] };
  verifyConsistency(BigInt(old['tree_size'] as number), 6n, consistency.consistency.map(bytes), bytes(old['sha256_root_hash'] as string), bytes(sth.sha256_root_hash));
  const roots = (await get('get-roots')).body['certificates'] as string[];
  assert.deepEqual(roots, [b64(ca.rootDer)]);
  assert.equal(((await get('get-entries?start=0&end=100')).body['entries'] as unknown[]).length, 6);
});

test('bad parameters and bodies are 400s (404 for an unknown leaf), and nothing is logged', async () => {
  const size = ((await get('get-sth')).body['tree_size']) as number;
  for (const path of ['get-entries?start=3', 'get-entries?start=9&end=10', 'get-entries?start=4&end=2', 'get-sth-consistency?first=2&second=99',
    'get-proof-by-hash?hash=nope&tree_size=1', 'get-proof-by-hash?hash=AAAA&tree_size=1', `get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=0`]) {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.equal(r.body['code'], 'ERR_CT_PARAM_INVALID', path);
  }
  assert.equal((await get(`get-proof-by-hash?hash=${encodeURIComponent(b64(new Uint8Array(32)))}&tree_size=1`)).status, 404);
  for (const body of ['{', '{}', '{"chain":"x"}', '{"chain":[1]}', '{"chain":["!!"]}', JSON.stringify({ chain: [b64(chain[0] ?? new Uint8Array())] })]) {
    const res = await fetch(`${base}/ct/v1/add-pre-chain`, { method: 'POST', body });
    assert.equal(res.status, 400, body);
    assert.equal(((await res.json()) as Record<string, unknown>)['code'], 'ERR_CT_SUBMISSION_INVALID');
  }
  assert.equal((await get('get-sth')).body['tree_size'], size);
});
