// Shared pieces of the log crash tests: signed hashedrekord bodies, raw POSTs that never throw,
// and the post-crash checks (acknowledged entries present, checkpoints consistent).
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { Agent, request } from 'node:http';
import { verifyConsistency } from '../../src/merkle/index.ts';
import { decodeHex } from '../../src/core/index.ts';

/** One HTTP answer (status 0 when the connection failed). */
export interface Answer { readonly status: number; readonly body: string }

/** POSTs `body`; resolves with status 0 instead of failing when the server is gone. */
export function post(agent: Agent, url: string, body: string): Promise<Answer> {
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

/** GETs JSON, asserting a 200. */
export function getJson(url: string): Promise<unknown> {
  return fetch(url).then(async (r) => { assert.equal(r.status, 200, `${url} answered ${r.status}`); return r.json(); });
}

/** What a 201 told: the entry and the tree it was proved against. */
export interface Logged { readonly uuid: string; readonly index: number; readonly treeSize: number; readonly rootHash: string }

/** Parses a 201 body. */
export function parseCreated(body: string): Logged {
  const map = JSON.parse(body) as Record<string, { logIndex: number; verification: { inclusionProof: { treeSize: number; rootHash: string } } }>;
  const [id, e] = Object.entries(map)[0] ?? [];
  assert.ok(id && e);
  return { uuid: id.slice(-64), index: e.logIndex, treeSize: e.verification.inclusionProof.treeSize, rootHash: e.verification.inclusionProof.rootHash };
}

/** `count` distinct, correctly signed hashedrekord proposals. */
export function makeProposals(count: number): string[] {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = Buffer.from(publicKey.export({ format: 'pem', type: 'spki' }).toString()).toString('base64');
  return Array.from({ length: count }, (_, i) => {
    const data = Buffer.from(`artifact ${i}`);
    return JSON.stringify({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') } },
      signature: { content: sign('sha256', data, privateKey).toString('base64'), publicKey: { content: pem } },
    } });
  });
}

/**
 * Checks a log after a crash: every acknowledged entry is there at its index, no index twice,
 * and the current tree is consistent with every (size, root) the log returned.
 */
export async function checkAfterCrash(baseUrl: string, acknowledged: Iterable<Logged>): Promise<void> {
  const info = await getJson(`${baseUrl}/api/v1/log`) as { treeSize: number; rootHash: string };
  const all = [...acknowledged];
  const indexes = new Set<number>();
  const heads = new Map<number, string>();
  for (const e of all) {
    assert.equal(indexes.has(e.index), false, `index ${e.index} used twice`);
    indexes.add(e.index);
    assert.ok(e.index < info.treeSize, `acknowledged index ${e.index} beyond the tree size ${info.treeSize}`);
    const prior = heads.get(e.treeSize);
    assert.ok(prior === undefined || prior === e.rootHash, `two roots returned for tree size ${e.treeSize}`);
    heads.set(e.treeSize, e.rootHash);
  }
  const check = async (): Promise<void> => {
    for (let e = all.pop(); e !== undefined; e = all.pop()) {
      const got = await getJson(`${baseUrl}/api/v1/log/entries/${e.uuid}`) as Record<string, { logIndex: number }>;
      assert.equal(Object.values(got)[0]?.logIndex, e.index, `entry ${e.uuid}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, check));
  for (const [size, root] of heads) {
    if (size === info.treeSize) { assert.equal(root, info.rootHash); continue; }
    const proof = await getJson(`${baseUrl}/api/v1/log/proof?firstSize=${size}&lastSize=${info.treeSize}`) as { hashes: string[] };
    verifyConsistency(size, info.treeSize, proof.hashes.map(decodeHex), decodeHex(root), decodeHex(info.rootHash));
  }
}
