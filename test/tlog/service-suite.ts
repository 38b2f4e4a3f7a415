// The log service over HTTP, for any LogStore backend: the SQLite and PostgreSQL tests run it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHex } from '../../src/core/index.ts';
import { verifyConsistency } from '../../src/merkle/index.ts';
import type { LogEntryJson, LogStore } from '../../src/tlog/index.ts';
import { get, makeArtifactSigner, post, startLog, verifyLogEntry, type RunningLog } from './support.ts';
import { loadEntryVectors } from './vectors.ts';

const vectors = loadEntryVectors();

async function withLog(openStore: () => Promise<LogStore>, body: (log: RunningLog) => Promise<void>, options = {}): Promise<void> {
  const store = await openStore();
  const log = await startLog(store, undefined, options);
  try { await body(log); } finally { await log.stop(); await store.close(); }
}

/** Registers the service tests for one backend. */
export function runLogServiceSuite(name: string, openStore: () => Promise<LogStore>): void {
  test(`${name}: an empty log reports size 0 with a signed checkpoint`, () => withLog(openStore, async (log) => {
    const info = await get(`${log.url}/api/v1/log`);
    assert.equal(info.status, 200);
    assert.equal(info.json.treeSize, 0);
    assert.equal(info.json.treeID, log.service.treeId.toString());
    assert.match(info.json.signedTreeHead, new RegExp(`^127\\.0\\.0\\.1 - ${log.service.treeId}\\n0\\n`));
  }));

  test(`${name}: a created entry comes back with ETag, Location, SET and a verifying proof, under every identifier`, () => withLog(openStore, async (log) => {
    const signer = makeArtifactSigner();
    const created = await post(`${log.url}/api/v1/log/entries`, signer.entry('a'));
    assert.equal(created.status, 201);
    const { entryId, logIndex } = verifyLogEntry(log, created.json);
    assert.equal(created.headers.get('etag'), entryId);
    assert.equal(created.headers.get('location'), `${log.url}/api/v1/log/entries/${entryId}`);
    await post(`${log.url}/api/v1/log/entries`, signer.entry('b'));
    for (const path of [entryId, entryId.slice(16), entryId.toUpperCase(), String(logIndex), `?logIndex=${logIndex}`]) {
      const got = await get(`${log.url}/api/v1/log/entries${path.startsWith('?') ? '' : '/'}${path}`);
      assert.equal(got.status, 200, path);
      const checked = verifyLogEntry(log, got.json);
      assert.equal(checked.entryId, entryId);
      assert.equal(checked.treeSize, 2, 'GET proves against the latest head');
    }
  }));

  test(`${name}: a duplicate is a 409 with the existing entry's Location and stores nothing`, () => withLog(openStore, async (log) => {
    const signer = makeArtifactSigner();
    const first = await post(`${log.url}/api/v1/log/entries`, signer.entry('dup'));
    const entryId = Object.keys(first.json)[0]!;
    const again = await post(`${log.url}/api/v1/log/entries`, signer.entry('dup'));
    assert.equal(again.status, 409);
    assert.deepEqual(again.json, { code: 409, message: `an equivalent entry already exists in the transparency log with UUID ${entryId}` });
    assert.equal(again.headers.get('location'), `${log.url}/api/v1/log/entries/${entryId}`);
    assert.equal((await get(`${log.url}/api/v1/log`)).json.treeSize, 1);
    const racing = await Promise.all([1, 2, 3].map(() => post(`${log.url}/api/v1/log/entries`, signer.entry('race'))));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 409, 409]);
    const winner = Object.keys(racing.find((r) => r.status === 201)!.json)[0]!;
    for (const r of racing.filter((x) => x.status === 409)) assert.equal(r.headers.get('location'), `${log.url}/api/v1/log/entries/${winner}`);
    assert.equal((await get(`${log.url}/api/v1/log`)).json.treeSize, 2);
  }));

  test(`${name}: bad proposed entries get Rekor's 4xx body and store nothing`, () => withLog(openStore, async (log) => {
    const signer = makeArtifactSigner();
    const good = signer.entry('x') as { spec: Record<string, unknown> };
    const cases: [string, unknown, number, boolean?][] = [
      ['malformed json', '{"kind":', 400, true],
      ['unknown kind', { ...good, kind: 'alpine' }, 400],
      ['bad signature', { ...good, spec: { ...good.spec, data: { hash: { algorithm: 'sha256', value: signer.digestOf('y') } } } }, 400],
      ['wrong hash length', { ...good, spec: { ...good.spec, data: { hash: { algorithm: 'sha256', value: 'abcd' } } } }, 400],
      ['oversized body', 'x'.repeat(5000), 413, true],
    ];
    for (const [what, body, status, raw] of cases) {
      const res = await post(`${log.url}/api/v1/log/entries`, body, raw ?? false);
      assert.equal(res.status, status, what);
      assert.equal(res.json.code, status, what);
      assert.equal(typeof res.json.message, 'string', what);
      if (status === 400) assert.match(res.json.message, /^error processing entry: /, what);
    }
    assert.equal((await get(`${log.url}/api/v1/log`)).json.treeSize, 0);
  }, { maxBodyBytes: 4096 }));

  test(`${name}: 100 concurrent entries get consecutive indices in fewer batches, and log infos stay consistent`, () => withLog(openStore, async (log) => {
    const signer = makeArtifactSigner();
    const before = (await get(`${log.url}/api/v1/log`)).json;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post(`${log.url}/api/v1/log/entries`, signer.entry(`c${i}`))));
    const checked = results.map((r) => { assert.equal(r.status, 201); return verifyLogEntry(log, r.json); });
    assert.deepEqual(checked.map((c) => c.logIndex).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    const batches = new Set(checked.map((c) => c.treeSize));
    assert.ok(batches.size < 100, `100 entries took ${batches.size} batches`);
    const after = (await get(`${log.url}/api/v1/log`)).json;
    assert.equal(after.treeSize, 100);
    const sizes = [before.treeSize, ...[...batches].sort((a, b) => a - b)];
    const roots = new Map(checked.map((c) => [c.treeSize, c.rootHash] as const));
    for (let i = 1; i < sizes.length; i++) {
      const [m, n] = [sizes[i - 1]!, sizes[i]!];
      const proof = (await get(`${log.url}/api/v1/log/proof?firstSize=${m}&lastSize=${n}`)).json;
      assert.equal(proof.rootHash, roots.get(n));
      const root1 = m === 0 ? before.rootHash : roots.get(m)!;
      verifyConsistency(m, n, proof.hashes.map(decodeHex), decodeHex(root1), decodeHex(proof.rootHash));
    }
  }));

  test(`${name}: production dsse and intoto entries are logged; search finds by hash, e-mail and key`, () => withLog(openStore, async (log) => {
    for (const v of vectors) {
      const res = await post(`${log.url}/api/v1/log/entries`, v.proposed);
      if (res.status === 409) continue; // two vectors share one production entry
      assert.equal(res.status, 201, `${v.name}: ${JSON.stringify(res.json)}`);
      assert.equal((res.json[Object.keys(res.json)[0]!] as LogEntryJson).body, v.canonicalizedBody, v.name);
    }
    const signer = makeArtifactSigner();
    const mine = Object.keys((await post(`${log.url}/api/v1/log/entries`, signer.entry('findme'))).json)[0]!;
    const search = async (q: unknown) => (await post(`${log.url}/api/v1/index/retrieve`, q)).array;
    const digest = signer.digestOf('findme');
    assert.deepEqual(await search({ hash: digest }), [mine]);
    assert.deepEqual(await search({ hash: `sha256:${digest.toUpperCase()}` }), [mine]);
    assert.deepEqual(await search({ publicKey: { format: 'x509', content: Buffer.from(signer.publicKeyPem).toString('base64') } }), [mine]);
    assert.ok((await search({ email: 'Brian@Dehamer.com' })).length >= 3);
    assert.deepEqual(await search({ email: 'brian@dehamer.com', hash: digest, operator: 'and' }), []);
    assert.equal((await search({ email: 'brian@dehamer.com', hash: digest, operator: 'or' })).length, (await search({ email: 'brian@dehamer.com' })).length + 1);
    const bad = await post(`${log.url}/api/v1/index/retrieve`, { publicKey: { format: 'pgp', content: 'AA==' } });
    assert.deepEqual(bad.json, { code: 400, message: 'the PKI format requested is not supported by this server' });
  }));

  test(`${name}: retrieve takes UUIDs, entry IDs, indexes and proposed entries, at most 10`, () => withLog(openStore, async (log) => {
    const signer = makeArtifactSigner();
    const ids = [];
    for (const a of ['r0', 'r1', 'r2']) ids.push(Object.keys((await post(`${log.url}/api/v1/log/entries`, signer.entry(a))).json)[0]!);
    const res = await post(`${log.url}/api/v1/log/entries/retrieve`, { entryUUIDs: [ids[0], ids[1]!.slice(16), 'f'.repeat(64)], logIndexes: [2, 99], entries: [signer.entry('r0')] });
    assert.equal(res.status, 200);
    assert.deepEqual(res.array.map((m) => Object.keys(m as object)[0]), [ids[0], ids[1], ids[2], ids[0]]);
    const tooMany = await post(`${log.url}/api/v1/log/entries/retrieve`, { logIndexes: Array.from({ length: 11 }, (_, i) => i) });
    assert.deepEqual(tooMany.json, { code: 422, message: 'more than max allowed 10 entries in request' });
  }));

  test(`${name}: missing entries are a bodiless 404, malformed IDs a 400, and the key is PEM`, () => withLog(openStore, async (log) => {
    const missing = await get(`${log.url}/api/v1/log/entries/${'a'.repeat(64)}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    assert.equal((await get(`${log.url}/api/v1/log/entries?logIndex=5`)).status, 404);
    assert.equal((await get(`${log.url}/api/v1/log/entries/${'0'.repeat(16)}${'a'.repeat(64)}`)).status, 400);
    assert.equal((await get(`${log.url}/api/v1/log/entries/${'1'.repeat(16)}${'a'.repeat(64)}`)).status, 404);
    const bad = await get(`${log.url}/api/v1/log/entries/not-an-id`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 400);
    const proof = await get(`${log.url}/api/v1/log/proof?firstSize=1&lastSize=5`);
    assert.deepEqual(proof.json, { code: 400, message: 'the tree size requested(5) was greater than what is currently observable(0)' });
    const key = await get(`${log.url}/api/v1/log/publicKey`);
    assert.equal(key.headers.get('content-type'), 'application/x-pem-file');
    assert.equal(key.text, log.service.publicKeyPem);
  }));
}
