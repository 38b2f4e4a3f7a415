// Reliability: kill -9 the log (SQLite, the embedded default) during 10,000 concurrent uploads,
// restart it on the same data: every entry that got a 201 is there at its index, no index is used
// twice, and the tree is consistent with every checkpoint the log ever returned (checked with
// consistency proofs). Uploads that failed in the crash succeed (or are duplicates) afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { startSigilServer } from '../support/sigil-server.ts';
import { verifyConsistency } from '../../src/merkle/index.ts';
import { decodeHex } from '../../src/core/index.ts';

const TOTAL = 10_000;
const CONCURRENCY = 64;
const KILL_AFTER = 4_000;

interface Answer { readonly status: number; readonly body: string }

function post(agent: Agent, url: string, body: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

function getJson(url: string): Promise<unknown> {
  return fetch(url).then(async (r) => { assert.equal(r.status, 200, `${url} answered ${r.status}`); return r.json(); });
}

interface Logged { readonly uuid: string; readonly index: number; readonly treeSize: number; readonly rootHash: string }

function parseCreated(body: string): Logged {
  const map = JSON.parse(body) as Record<string, { logIndex: number; verification: { inclusionProof: { treeSize: number; rootHash: string } } }>;
  const [id, e] = Object.entries(map)[0] ?? [];
  assert.ok(id && e);
  return { uuid: id.slice(-64), index: e.logIndex, treeSize: e.verification.inclusionProof.treeSize, rootHash: e.verification.inclusionProof.rootHash };
}

test('kill -9 during 10,000 concurrent uploads loses no acknowledged entry and keeps every checkpoint consistent', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-crash-'));
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const bodies = Array.from({ length: TOTAL }, (_, i) => {
    const data = Buffer.from(`artifact ${i}`);
    const sig = sign('sha256', data, privateKey).toString('base64');
    return JSON.stringify({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') } },
      signature: { content: sig, publicKey: { content: Buffer.from(pem).toString('base64') } },
    } });
  });
  let server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const acknowledged = new Map<number, Logged>();
  const failed: number[] = [];
  let next = 0;
  let done = 0;
  let killed: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    while (next < TOTAL) {
      const i = next++;
      const a = await post(agent, `${server.url}/api/v1/log/entries`, bodies[i] ?? '');
      if (a.status === 201) acknowledged.set(i, parseCreated(a.body));
      else failed.push(i);
      done += 1;
      if (done === KILL_AFTER) killed = server.kill();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await killed;
  agent.destroy();
  assert.ok(acknowledged.size >= KILL_AFTER - CONCURRENCY, `only ${acknowledged.size} acknowledged before the kill`);
  assert.ok(failed.length > 0, 'the kill happened before the uploads ended');

  server = await startSigilServer(join(dir, 'data'), ['--only', 'log']);
  try {
    const info = await getJson(`${server.url}/api/v1/log`) as { treeSize: number; rootHash: string };
    const seenIndexes = new Set<number>();
    for (const e of acknowledged.values()) {
      assert.equal(seenIndexes.has(e.index), false, `index ${e.index} used twice`);
      seenIndexes.add(e.index);
      assert.ok(e.index < info.treeSize, `acknowledged index ${e.index} beyond restarted tree size ${info.treeSize}`);
    }
    // every acknowledged entry is there under its uuid, at its index
    const all = [...acknowledged.values()];
    const check = async (): Promise<void> => {
      for (let e = all.pop(); e !== undefined; e = all.pop()) {
        const got = await getJson(`${server.url}/api/v1/log/entries/${e.uuid}`) as Record<string, { logIndex: number }>;
        assert.equal(Object.values(got)[0]?.logIndex, e.index, `entry ${e.uuid}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, check));
    // the tree is consistent with every checkpoint the log returned before the crash
    const heads = new Map<number, string>();
    for (const e of acknowledged.values()) {
      const prior = heads.get(e.treeSize);
      assert.ok(prior === undefined || prior === e.rootHash, `two roots returned for tree size ${e.treeSize}`);
      heads.set(e.treeSize, e.rootHash);
    }
    for (const [size, root] of heads) {
      if (size === info.treeSize) { assert.equal(root, info.rootHash); continue; }
      const proof = await getJson(`${server.url}/api/v1/log/proof?firstSize=${size}&lastSize=${info.treeSize}`) as { hashes: string[] };
      verifyConsistency(size, info.treeSize, proof.hashes.map(decodeHex), decodeHex(root), decodeHex(info.rootHash));
    }
    // what failed in the crash is logged now, or was logged before the kill (409)
    const retryAgent = new Agent({ keepAlive: true, maxSockets: 16 });
    for (const i of failed.slice(0, 400)) {
      const a = await post(retryAgent, `${server.url}/api/v1/log/entries`, bodies[i] ?? '');
      assert.ok(a.status === 201 || a.status === 409, `retry of ${i} answered ${a.status}: ${a.body}`);
    }
    retryAgent.destroy();
  } finally {
    assert.equal(await server.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
