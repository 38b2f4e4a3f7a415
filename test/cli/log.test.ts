// sigil log against an in-process log on 127.0.0.1: upload, get, search, verify, info, proof, and bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteLogStore } from '../../src/adapters/sqlite/log-store.ts';
import { encodePem } from '../../src/core/index.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { makeArtifactSigner, makeLogKey, post, startLog, type RunningLog } from '../tlog/support.ts';
import { loadEntryVectors } from '../tlog/vectors.ts';

let dir = '';
let log: RunningLog;
let logKeyFile = '';
const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const env = (): Record<string, string> => isolatedEnv({ SIGIL_HOME: join(dir, 'home') });
const cli = (argv: string[]) => runCli(argv, { env: env() });
const logCli = (verb: string, ...argv: string[]) =>
  cli(['log', verb, '--rekor-url', log.url, ...(verb === 'verify' || verb === 'info' ? ['--log-key', logKeyFile] : []), ...argv]);
const json = <T>(r: { code: number; stdout: string; stderr: string }): T => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
};

function artifact(name: string, text: string): { file: string; sig: string; sha: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  const sig = join(dir, `${name}.sig`);
  writeFileSync(sig, sign('sha256', Buffer.from(text), key.privateKey).toString('base64'));
  return { file, sig, sha: createHash('sha256').update(text).digest('hex') };
}

interface Uploaded { created: boolean; uuid: string; entryId: string; logIndex: number }

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-log-cli-'));
  const logKey = makeLogKey();
  log = await startLog(openSqliteLogStore(join(dir, 'log.db')), logKey);
  logKeyFile = join(dir, 'log.pub');
  writeFileSync(logKeyFile, encodePem('PUBLIC KEY', logKey.spkiDer));
  writeFileSync(join(dir, 'signer.pub'), key.publicKey.export({ format: 'pem', type: 'spki' }));
});
after(async () => { await log.stop(); rmSync(dir, { recursive: true, force: true }); });

describe('sigil log', () => {
  const a = () => artifact('a.txt', 'artifact a');
  let first: Uploaded;

  test('upload from an artifact, signature and key; again finds the existing entry', async () => {
    const { file, sig } = a();
    const args = ['--artifact', file, '--signature', sig, '--public-key', join(dir, 'signer.pub')];
    first = json<Uploaded>(await logCli('upload', ...args));
    assert.equal(first.created, true);
    assert.equal(first.logIndex, 0);
    assert.match(first.entryId, /^[0-9a-f]{80}$/);
    const again = json<Uploaded>(await logCli('upload', ...args));
    assert.equal(again.created, false);
    assert.equal(again.uuid, first.uuid);
    const text = await logCli('upload', ...args, '--output', 'text');
    assert.match(text.stdout, /^Entry already exists; available at: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/log\/entries\/[0-9a-f]{80}\n$/);
  });

  test('upload --entry with a proposed entry; a malformed one is ERR_TLOG_ENTRY_INVALID (exit 2)', async () => {
    const file = join(dir, 'proposed.json');
    writeFileSync(file, JSON.stringify(makeArtifactSigner().entry('from a file')));
    const up = json<Uploaded>(await logCli('upload', '--entry', file));
    assert.equal(up.logIndex, 1);
    writeFileSync(file, JSON.stringify({ kind: 'hashedrekord', apiVersion: '0.0.1', spec: {} }));
    const bad = await logCli('upload', '--entry', file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ERR_TLOG_ENTRY_INVALID/);
  });

  test('get by index, by 64-hex uuid and by 80-hex entry id; text for people', async () => {
    // the log signs each answer afresh (ECDSA is randomized): compare what is logged, not the SET
    const logged = (m: Record<string, { body: string; logIndex: number }>) => Object.entries(m).map(([id, e]) => [id, e.body, e.logIndex]);
    const byIndex = json<Record<string, { body: string; logIndex: number }>>(await logCli('get', '--log-index', '0'));
    assert.deepEqual(Object.keys(byIndex), [first.entryId]);
    const byUuid = json<Record<string, { body: string; logIndex: number }>>(await logCli('get', '--uuid', first.uuid));
    const byId = json<Record<string, { body: string; logIndex: number }>>(await logCli('get', '--uuid', first.entryId.toUpperCase()));
    assert.deepEqual(logged(byUuid), logged(byIndex));
    assert.deepEqual(logged(byId), logged(byIndex));
    const text = await logCli('get', '--log-index', '0', '--output', 'text');
    assert.match(text.stdout, /^LogID: [0-9a-f]{64}\nIndex: 0\nIntegratedTime: \d{4}-.*\nUUID: [0-9a-f]{80}\nBody: \{/);
  });

  test('search by sha with and without the prefix, by artifact, by public key', async () => {
    const { file, sha } = a();
    for (const args of [['--sha', sha], ['--sha', `sha256:${sha}`], ['--artifact', file], ['--public-key', join(dir, 'signer.pub')]]) {
      const ids = json<string[]>(await logCli('search', ...args));
      assert.ok(ids.some((id) => id.endsWith(first.uuid)), `${args.join(' ')}: ${ids.join(',')}`);
    }
    assert.deepEqual(json<string[]>(await logCli('search', '--sha', '0'.repeat(64))), []);
    const text = await logCli('search', '--sha', sha, '--output', 'text');
    assert.match(text.stdout, /^Found matching entries \(listed by UUID\):\n[0-9a-f]{64,80}\n/);
    const bad = await logCli('search', '--sha', 'sha256:abc');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ERR_INPUT_INVALID/);
  });

  test('search by certificate e-mail finds production entries logged with --entry', async () => {
    const [firstVector, ...rest] = loadEntryVectors();
    assert.ok(firstVector);
    const file = join(dir, 'vector.json');
    writeFileSync(file, JSON.stringify(firstVector.proposed));
    json<Uploaded>(await logCli('upload', '--entry', file));
    for (const v of rest) await post(`${log.url}/api/v1/log/entries`, v.proposed);
    const ids = json<string[]>(await logCli('search', '--email', 'brian@dehamer.com'));
    assert.ok(ids.length >= 3, ids.join(','));
  });

  test('verify an entry file offline; a tampered one fails (exit 12)', async () => {
    const got = await logCli('get', '--log-index', '0');
    const file = join(dir, 'entry.json');
    writeFileSync(file, got.stdout);
    const ok = await cli(['log', 'verify', '--entry', file, '--log-key', logKeyFile]);
    const report = json<{ signedEntryTimestamp: boolean; inclusionProof: { treeSize: number } }>(ok);
    assert.equal(report.signedEntryTimestamp, true);
    assert.ok(report.inclusionProof.treeSize >= 1);
    const entry = JSON.parse(got.stdout) as Record<string, { integratedTime: number }>;
    const value = entry[first.entryId]!;
    writeFileSync(file, JSON.stringify({ [first.entryId]: { ...value, integratedTime: value.integratedTime + 1 } }));
    const tampered = await cli(['log', 'verify', '--entry', file, '--log-key', logKeyFile]);
    assert.equal(tampered.code, 12, tampered.stderr);
    const noKey = await cli(['log', 'verify', '--entry', file]);
    assert.equal(noKey.code, 3);
    assert.match(noKey.stderr, /ERR_CONFIG_INVALID/);
    const online = await logCli('verify', '--uuid', first.uuid, '--output', 'text');
    assert.match(online.stdout, /signed entry timestamp verified; inclusion proof verified/);
  });

  test('info remembers the tree head and proves consistency with it; a forged state fails', async () => {
    const one = json<{ treeSize: number; verifiedConsistentFrom: number | null }>(await logCli('info'));
    assert.equal(one.verifiedConsistentFrom, null);
    const { file, sig } = artifact('b.txt', 'artifact b');
    json<Uploaded>(await logCli('upload', '--artifact', file, '--signature', sig, '--public-key', join(dir, 'signer.pub')));
    const two = json<{ treeSize: number; verifiedConsistentFrom: number | null }>(await logCli('info'));
    assert.equal(two.verifiedConsistentFrom, one.treeSize);
    assert.equal(two.treeSize, one.treeSize + 1);
    const text = await logCli('info', '--output', 'text');
    assert.match(text.stdout, /^Verification Successful!\nTree Size: \d+\n/);
    const statePath = join(dir, 'home', 'log-state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, { rootHash: string }>;
    const forged = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { ...v, rootHash: 'ab'.repeat(32) }]));
    writeFileSync(statePath, JSON.stringify(forged));
    const refused = await logCli('info');
    assert.equal(refused.code, 12, refused.stderr);
    assert.match(refused.stderr, /ERR_MERKLE_CONSISTENCY_PROOF/);
    const ahead = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, { ...v, treeSize: 1000 }]));
    writeFileSync(statePath, JSON.stringify(ahead));
    const shrank = await logCli('info');
    assert.equal(shrank.code, 12, shrank.stderr);
    assert.match(shrank.stderr, /the log shrank from tree size 1000/);
    writeFileSync(statePath, '{"x": 1}');
    assert.equal((await logCli('info')).code, 3);
  });

  test('proof between two sizes', async () => {
    const proof = json<{ firstSize: number; lastSize: number; hashes: string[]; rootHash: string }>(await logCli('proof', '--first-size', '1', '--last-size', '3'));
    assert.equal(proof.lastSize, 3);
    assert.ok(proof.hashes.length > 0);
    const beyond = await logCli('proof', '--first-size', '1', '--last-size', '99');
    assert.equal(beyond.code, 2);
    assert.match(beyond.stderr, /ERR_TLOG_TREE_SIZE_INVALID/);
  });

  test('bad input: unknown uuid (11), malformed uuid (2), no log (2), unreachable log (4)', async () => {
    const unknown = await logCli('get', '--uuid', 'f'.repeat(64));
    assert.equal(unknown.code, 11, unknown.stderr);
    assert.match(unknown.stderr, /ERR_TLOG_ENTRY_NOT_FOUND/);
    const malformed = await logCli('get', '--uuid', 'xyz');
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /ERR_TLOG_ENTRY_ID_INVALID/);
    const none = await cli(['log', 'info']);
    assert.equal(none.code, 2);
    const down = await cli(['log', 'get', '--log-index', '0', '--rekor-url', 'http://127.0.0.1:1']);
    assert.equal(down.code, 4, down.stderr);
    assert.match(down.stderr, /ERR_NETWORK/);
  });
});
