// GET /metrics on a real `sigil server`: real requests (blobs, a manifest, an upload session,
// log entries, certificates and refusals) move the counters by exactly what was done, the
// exposition parses strictly, `--only registry` exposes only registry, HTTP and process metrics,
// and labels never carry a path, repository name or digest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { encodePem, generatePrivateKey } from '../../src/core/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { runCli } from '../helpers/cli.ts';
import { digestOf, makeTempDir, pushBlob, pushImage } from '../helpers/registry-server.ts';
import { expectSuccess, runSigil } from '../support/peers.ts';
import { parsePrometheusText, sampleValue, type Family } from '../support/prometheus-text.ts';
import { makeArtifactSigner } from '../tlog/support.ts';

let server: RunningServer;
let dataDir = '';
let cleanup: () => Promise<void> = async () => undefined;

before(async () => {
  ({ dir: dataDir, cleanup } = await makeTempDir());
  server = await startServer({ address: { host: '127.0.0.1', port: 0 }, dataDir, services: ['registry', 'log', 'oidc', 'ca'], logVerifyThreads: 0, log: () => undefined });
});
after(async () => {
  await server.stop(1000);
  await cleanup();
});

async function scrape(url: string): Promise<Map<string, Family>> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(await res.text());
}

/** The change of each named sample between two scrapes. */
function delta(before: Map<string, Family>, after: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  return sampleValue(after, name, labels) - sampleValue(before, name, labels);
}

test('registry work moves blob bytes, manifests put, uploads open and the request counters by exactly what was done', async () => {
  const url = server.url;
  const blob = randomBytes(70_000);
  const s0 = await scrape(url);
  const digest = await pushBlob(url, 'metrics/blobs', blob);
  const pulled = await fetch(`${url}/v2/metrics/blobs/blobs/${digest}`);
  assert.equal((await pulled.arrayBuffer()).byteLength, blob.byteLength);
  const ranged = await fetch(`${url}/v2/metrics/blobs/blobs/${digest}`, { headers: { range: 'bytes=0-99' } });
  assert.equal((await ranged.arrayBuffer()).byteLength, 100);
  const image = await pushImage(url, 'metrics/image', 'v1', 'seed-1');
  const session = await fetch(`${url}/v2/metrics/blobs/blobs/uploads/`, { method: 'POST' });
  assert.equal(session.status, 202);
  const missing = await fetch(`${url}/v2/metrics/blobs/manifests/${digestOf('absent')}`);
  assert.equal(missing.status, 404);
  const s1 = await scrape(url);
  const config = '{"seed":"seed-1"}';
  const layer = 'layer-seed-1';
  assert.equal(delta(s0, s1, 'sigil_registry_blob_received_bytes_total'), blob.byteLength + config.length + layer.length);
  assert.equal(delta(s0, s1, 'sigil_registry_blob_sent_bytes_total'), blob.byteLength + 100);
  assert.equal(delta(s0, s1, 'sigil_registry_manifests_put_total'), 1);
  assert.equal(delta(s0, s1, 'sigil_registry_uploads_in_progress'), 1);
  const requests = (method: string, code: string): number => delta(s0, s1, 'sigil_http_requests_total', { service: 'registry', method, code });
  assert.equal(requests('POST', '201'), 3);
  assert.equal(requests('POST', '202'), 1);
  assert.equal(requests('GET', '200'), 1);
  assert.equal(requests('GET', '206'), 1);
  assert.equal(requests('PUT', '201'), 1);
  assert.equal(requests('GET', '404'), 1);
  // every registry request above went into the duration histogram, and the scrape itself is `other`
  assert.equal(delta(s0, s1, 'sigil_http_request_duration_seconds_count', { service: 'registry' }), 8);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'other', method: 'GET', code: '200' }), 1);
  // no label value is a path, repository name or digest
  for (const family of s1.values()) {
    for (const s of family.samples) {
      for (const v of Object.values(s.labels)) assert.doesNotMatch(v, /\/|sha256|metrics|v1|seed/, `${s.name} label ${v}`);
    }
  }
  assert.ok(image.digest.startsWith('sha256:'));
});

test('log entries move appends, the tree size and batch sizes; a repeat moves duplicates', async () => {
  const url = server.url;
  const signer = makeArtifactSigner();
  const s0 = await scrape(url);
  const post = (artifact: string): Promise<Response> => fetch(`${url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signer.entry(artifact)) });
  for (const artifact of ['a', 'b', 'c', 'd']) {
    const res = await post(artifact);
    assert.equal(res.status, 201);
    await res.arrayBuffer();
  }
  const again = await post('a');
  assert.equal(again.status, 409);
  const bad = await fetch(`${url}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":' });
  assert.equal(bad.status, 400);
  const s1 = await scrape(url);
  assert.equal(delta(s0, s1, 'sigil_log_appends_total'), 4);
  assert.equal(delta(s0, s1, 'sigil_log_tree_size'), 4);
  assert.equal(sampleValue(s1, 'sigil_log_tree_size'), 4);
  assert.equal(delta(s0, s1, 'sigil_log_duplicates_total'), 1);
  // each sequential request closed its own batch of one
  assert.equal(delta(s0, s1, 'sigil_log_batch_entries_count'), 4);
  assert.equal(delta(s0, s1, 'sigil_log_batch_entries_bucket', { le: '1' }), 4);
  assert.equal(delta(s0, s1, 'sigil_log_batch_entries_sum'), 4);
  assert.equal(sampleValue(s1, 'sigil_log_sequencer'), 1);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'log', method: 'POST', code: '201' }), 4);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'log', method: 'POST', code: '409' }), 1);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'log', method: 'POST', code: '400' }), 1);
});

test('a certificate moves issued by issuer type and the CT tree size; each refusal is counted by its code', async () => {
  const url = server.url;
  const token = (await expectSuccess(runSigil(['token', '--issuer', `${url}/oidc`, '--data', dataDir, '--email', 'dev@example.com']), 'sigil token')).trim();
  const key = generatePrivateKey('ecdsa-p256');
  const request = (proof: Uint8Array): string => JSON.stringify({
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: { publicKey: { content: encodePem('PUBLIC KEY', key.publicKey().toSpkiDer()) }, proofOfPossession: Buffer.from(proof).toString('base64') },
  });
  const s0 = await scrape(url);
  const ok = await fetch(`${url}/api/v2/signingCert`, { method: 'POST', body: request(key.sign('ecdsa-p256-sha256', new TextEncoder().encode('dev@example.com'))) });
  assert.equal(ok.status, 200, await ok.clone().text());
  await ok.arrayBuffer();
  const badProof = await fetch(`${url}/api/v2/signingCert`, { method: 'POST', body: request(key.sign('ecdsa-p256-sha256', new TextEncoder().encode('someone-else'))) });
  const notJson = await fetch(`${url}/api/v2/signingCert`, { method: 'POST', body: 'not json' });
  const noToken = await fetch(`${url}/api/v1/signingCert`, { method: 'POST', body: JSON.stringify({ publicKey: { content: 'AAAA', algorithm: 'ecdsa' }, signedEmailAddress: 'AAAA' }) });
  assert.deepEqual([badProof.status, notJson.status, noToken.status], [400, 400, 401]);
  const trust = await fetch(`${url}/api/v2/trustBundle`);
  assert.equal(trust.status, 200);
  const s1 = await scrape(url);
  assert.equal(delta(s0, s1, 'sigil_ca_certificates_issued_total', { issuer_type: 'email' }), 1);
  assert.equal(delta(s0, s1, 'sigil_ct_tree_size'), 1);
  assert.equal(delta(s0, s1, 'sigil_ca_refusals_total', { code: 'ERR_CA_PROOF_INVALID' }), 1);
  assert.equal(delta(s0, s1, 'sigil_ca_refusals_total', { code: 'ERR_CA_REQUEST_INVALID' }), 1);
  assert.equal(delta(s0, s1, 'sigil_ca_refusals_total', { code: 'ERR_CA_TOKEN_MISSING' }), 1);
  const refusals = [...(s1.get('sigil_ca_refusals_total')?.samples ?? [])].reduce((n, s) => n + s.value, 0);
  const before = [...(s0.get('sigil_ca_refusals_total')?.samples ?? [])].reduce((n, s) => n + s.value, 0);
  assert.equal(refusals - before, 3);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'ca', method: 'POST', code: '200' }), 1);
  assert.equal(delta(s0, s1, 'sigil_http_requests_total', { service: 'ca', method: 'GET', code: '200' }), 1);
});

test('the exposition has every family with HELP and TYPE, and a bad method on /metrics is 405', async () => {
  const families = await scrape(server.url);
  for (const [name, type] of [
    ['sigil_http_requests_total', 'counter'], ['sigil_http_request_duration_seconds', 'histogram'], ['sigil_log_tree_size', 'gauge'],
    ['sigil_log_appends_total', 'counter'], ['sigil_log_duplicates_total', 'counter'], ['sigil_log_batch_entries', 'histogram'], ['sigil_log_sequencer', 'gauge'],
    ['sigil_ca_certificates_issued_total', 'counter'], ['sigil_ca_refusals_total', 'counter'], ['sigil_ct_tree_size', 'gauge'],
    ['sigil_registry_blob_received_bytes_total', 'counter'], ['sigil_registry_blob_sent_bytes_total', 'counter'],
    ['sigil_registry_manifests_put_total', 'counter'], ['sigil_registry_uploads_in_progress', 'gauge'],
    ['process_cpu_seconds_total', 'counter'], ['process_resident_memory_bytes', 'gauge'], ['nodejs_eventloop_lag_seconds', 'gauge'],
  ] as const) {
    assert.equal(families.get(name)?.type, type, name);
    assert.notEqual(families.get(name)?.help, '', name);
  }
  assert.ok(sampleValue(families, 'process_resident_memory_bytes') > 1024 * 1024);
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const res = await fetch(`${server.url}/metrics`, { method });
    assert.equal(res.status, 405);
    assert.equal(((await res.json()) as { code: string }).code, 'ERR_HTTP_METHOD_NOT_ALLOWED');
  }
  const head = await fetch(`${server.url}/metrics`, { method: 'HEAD' });
  assert.equal(head.status, 200);
});

test('the strict reader refuses what the format forbids', () => {
  const ok = '# HELP a_total x\n# TYPE a_total counter\na_total{k="v\\"w"} 1\n';
  assert.equal(sampleValue(parsePrometheusText(ok), 'a_total', { k: 'v"w' }), 1);
  for (const bad of [
    'a_total 1\n',
    '# TYPE a_total counter\na_total{k="v"} 1\na_total{k="v"} 2\n',
    '# TYPE a_total counter\na_total{k=v} 1\n',
    '# TYPE a_total counter\na_total one\n',
    '# TYPE a_total counter\na_total 1',
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
    '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
  ]) assert.throws(() => parsePrometheusText(bad), Error, bad);
});

test('--only registry exposes only registry, HTTP and process metrics; --no-metrics (metrics: false) serves no /metrics', async (t) => {
  const { dir, cleanup: done } = await makeTempDir();
  t.after(done);
  const registryOnly = await startServer({ address: { host: '127.0.0.1', port: 0 }, dataDir: dir, services: ['registry'], log: () => undefined });
  try {
    await fetch(`${registryOnly.url}/v2/`).then((r) => r.arrayBuffer());
    await fetch(`${registryOnly.url}/api/v1/log`).then((r) => r.arrayBuffer());
    const families = await scrape(registryOnly.url);
    const names = [...families.keys()];
    assert.deepEqual(names.filter((n) => !/^(sigil_registry_|sigil_http_|process_|nodejs_)/.test(n)), []);
    assert.ok(names.includes('sigil_registry_blob_sent_bytes_total'));
    const services = new Set(families.get('sigil_http_requests_total')?.samples.map((s) => s.labels['service']));
    assert.deepEqual([...services].sort(), ['other', 'registry']);
  } finally {
    await registryOnly.stop(1000);
  }
  const quiet = await startServer({ address: { host: '127.0.0.1', port: 0 }, dataDir: dir, services: ['registry'], metrics: false, log: () => undefined });
  try {
    const res = await fetch(`${quiet.url}/metrics`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
  } finally {
    await quiet.stop(1000);
  }
});

test('sigil server --no-metrics serves no /metrics; without the flag the CLI server does', async (t) => {
  const { dir, cleanup: done } = await makeTempDir();
  t.after(done);
  for (const [flags, status] of [[['--no-metrics'], 404], [[], 200]] as const) {
    const cli = runCli(['server', '--addr', '127.0.0.1:0', '--data', dir, '--only', 'registry', ...flags]);
    const url = (await cli.waitFor('\n')).trim().split(' ').at(-1) ?? '';
    const res = await fetch(`${url}/metrics`);
    assert.equal(res.status, status);
    await res.arrayBuffer();
    cli.stop();
    assert.equal(await cli.exit, 0);
  }
});
