// --allow-insecure-registry against a distribution registry serving a self-signed certificate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDistribution, type Distribution } from '../support/distribution.ts';
import { createSelfSigned } from '../support/tls.ts';
import { createTestClient } from '../support/client.ts';
import { buildImage, pushImage, type TestImage } from '../support/images.ts';
import { runCli } from '../support/cli.ts';

let plain: Distribution;
let tls: Distribution;
let image: TestImage;

before(async () => {
  [plain, tls] = await Promise.all([startDistribution(), startDistribution({ tls: createSelfSigned() })]);
  image = buildImage([128]);
  await pushImage(createTestClient().client, { registry: plain.host, repository: 'src/app' }, image, 'v1');
});
after(async () => { await Promise.all([plain?.stop(), tls?.stop()]); });

test('a self-signed registry is refused without --allow-insecure-registry', async () => {
  const r = await runCli(['copy', `${plain.host}/src/app:v1`, `${tls.host}/dst/app`]);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /tls certificate .*--allow-insecure-registry.*\(ERR_NETWORK\)\n$/);
});

test('--allow-insecure-registry talks https without verification, and plain http still works', async () => {
  const r = await runCli(['copy', `${plain.host}/src/app:v1`, `${tls.host}/dst/app`, '--allow-insecure-registry', '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).digest, image.digest);
  const d = await runCli(['digest', `${tls.host}/dst/app:v1`, '--allow-insecure-registry']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(d.stdout, `${image.digest}\n`);
});
