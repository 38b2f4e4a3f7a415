// The Rekor client over a scripted fetch: retries, the one error mapping, and 409 -> existing entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRekorClient, type RekorClient } from '../../../src/adapters/http-clients/rekor-client.ts';

type Step = Response | Error;
const UUID = 'a'.repeat(64);
const ENTRY_ID = `${'0'.repeat(15)}1${UUID}`;
const entryJson = { [ENTRY_ID]: { body: 'e30=', integratedTime: 1, logID: 'b'.repeat(64), logIndex: 7, verification: { signedEntryTimestamp: 'AAAA' } } };
const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const econn = (code: string): Error => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

function scripted(steps: Step[]): { client: RekorClient; calls: string[]; sleeps: number[] } {
  const calls: string[] = [];
  const sleeps: number[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    if (step instanceof Error) throw step;
    return step;
  };
  const client = createRekorClient({
    fetch, baseUrl: 'http://127.0.0.1:9/', timeoutMs: 1000, sleep: async (ms) => { sleeps.push(ms); }, now: () => new Date(0), jitter: () => 0,
  });
  return { client, calls, sleeps };
}

test('a 503 and a reset connection are retried; the entry is parsed', async () => {
  const { client, calls, sleeps } = scripted([jsonResponse(503, { code: 503, message: 'busy' }, { 'retry-after': '1' }), econn('ECONNRESET'), jsonResponse(200, entryJson)]);
  const entry = await client.getEntryByIndex(7);
  assert.equal(entry.logIndex, 7);
  assert.equal(entry.uuid, UUID);
  assert.deepEqual(sleeps, [1000, 250]);
  assert.equal(calls[0], 'GET http://127.0.0.1:9/api/v1/log/entries?logIndex=7');
});

const cases: { name: string; steps: Step[]; call: (c: RekorClient) => Promise<unknown>; code: string }[] = [
  { name: '404 is ERR_TLOG_ENTRY_NOT_FOUND', steps: [new Response('', { status: 404 })], call: (c) => c.getEntryByUuid(UUID), code: 'ERR_TLOG_ENTRY_NOT_FOUND' },
  { name: '400 on upload is ERR_TLOG_ENTRY_INVALID', steps: [jsonResponse(400, { code: 400, message: 'error processing entry' })], call: (c) => c.createEntry({}), code: 'ERR_TLOG_ENTRY_INVALID' },
  { name: '400 on a search is ERR_TLOG_SEARCH_INVALID', steps: [jsonResponse(400, { code: 400, message: 'bad' })], call: (c) => c.searchIndex({ hash: 'x' }), code: 'ERR_TLOG_SEARCH_INVALID' },
  { name: '409 without a location is ERR_TLOG_ENTRY_EXISTS', steps: [jsonResponse(409, { code: 409, message: 'exists' })], call: (c) => c.createEntry({}), code: 'ERR_TLOG_ENTRY_EXISTS' },
  { name: 'a body that is not json is ERR_HTTP_RESPONSE_INVALID', steps: [new Response('<html>', { status: 200 })], call: (c) => c.getLogInfo(), code: 'ERR_HTTP_RESPONSE_INVALID' },
  { name: 'a search answer that is not ids is ERR_HTTP_RESPONSE_INVALID', steps: [jsonResponse(200, ['nope'])], call: (c) => c.searchIndex({ email: 'a@b' }), code: 'ERR_HTTP_RESPONSE_INVALID' },
  { name: 'a refused connection is ERR_NETWORK, not retried', steps: [econn('ECONNREFUSED')], call: (c) => c.getLogInfo(), code: 'ERR_NETWORK' },
  { name: 'a timeout is ERR_HTTP_TIMEOUT', steps: Array.from({ length: 5 }, () => Object.assign(new Error('timed out'), { name: 'TimeoutError' })), call: (c) => c.getLogInfo(), code: 'ERR_HTTP_TIMEOUT' },
  { name: 'a 500 that persists is ERR_HTTP_STATUS after the retries', steps: Array.from({ length: 5 }, () => jsonResponse(500, { code: 500, message: 'x' })), call: (c) => c.getLogInfo(), code: 'ERR_HTTP_STATUS' },
];
for (const c of cases) {
  test(c.name, async () => {
    const { client } = scripted(c.steps);
    await assert.rejects(c.call(client), { code: c.code });
  });
}

test('a 409 with a location yields the existing entry, created false', async () => {
  const { client, calls } = scripted([
    jsonResponse(409, { code: 409, message: 'an equivalent entry already exists' }, { location: `http://127.0.0.1:9/api/v1/log/entries/${ENTRY_ID}` }),
    jsonResponse(200, entryJson),
  ]);
  const { entry, created } = await client.createEntry({ kind: 'hashedrekord' });
  assert.equal(created, false);
  assert.equal(entry.entryId, ENTRY_ID);
  assert.deepEqual(calls, ['POST http://127.0.0.1:9/api/v1/log/entries', `GET http://127.0.0.1:9/api/v1/log/entries/${ENTRY_ID}`]);
});
