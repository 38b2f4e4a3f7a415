// The local issuer as `sigil server --only oidc`, end to end: tokens minted by `sigil token`
// verified by the CA's TokenVerifier through real discovery, key rotation, and refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenVerifier } from '../../src/adapters/oidc/index.ts';
import { defaultIssuerConfig, parseIssuerConfig } from '../../src/ca/issuer-config.ts';
import { identityFromToken } from '../../src/ca/identity.ts';
import { startSigilServer, type SigilServerProcess } from '../support/sigil-server.ts';
import { isolatedEnv, runCli } from '../support/cli.ts';
import { makeTempDir } from '../support/temp.ts';

let dataDir = '';
let port = 0;
let server: SigilServerProcess;
let issuer = '';
let offsetMs = 0;
const clock = (): Date => new Date(Date.now() + offsetMs);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

before(async () => {
  dataDir = makeTempDir('oidc-server');
  port = await freePort();
  server = await startSigilServer(dataDir, ['--only', 'oidc', '--addr', `127.0.0.1:${port}`]);
  issuer = `${server.url}/oidc`;
});
after(async () => { await server.stop(); });

async function mint(args: readonly string[]): Promise<string> {
  const r = await runCli(['token', '--issuer', issuer, '--data', dataDir, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

function verifier(config = defaultIssuerConfig(issuer)): ReturnType<typeof createTokenVerifier> {
  return createTokenVerifier({ config, fetch: globalThis.fetch, clock });
}

test('first start writes the signing key and access secret with mode 0600', () => {
  for (const f of ['signing-keys.json', 'access-secret']) assert.equal(statSync(join(dataDir, 'oidc', f)).mode & 0o777, 0o600, f);
  assert.equal(statSync(join(dataDir, 'oidc')).mode & 0o777, 0o700);
});

test('an email token verifies through discovery and becomes an email identity', async () => {
  const token = await mint(['--email', 'dev@example.com']);
  const verified = await verifier().verify(token);
  assert.equal(verified.issuer, issuer);
  assert.equal(verified.type, 'email');
  const id = identityFromToken(verified, defaultIssuerConfig(issuer));
  assert.deepEqual(id.san, { kind: 'email', value: 'dev@example.com' });
  assert.equal(id.challenge, 'dev@example.com');
});

test('CI-shaped tokens come from their own issuer URLs and fill the CI extensions', async () => {
  const config = defaultIssuerConfig(issuer);
  const gh = await verifier().verify(await mint(['--github-repository', 'octo-org/octo-repo', '--github-workflow-ref', '.github/workflows/release.yml@refs/tags/v1.0.0', '--github-ref', 'refs/tags/v1.0.0']));
  assert.equal(gh.issuer, `${issuer}/github-actions`);
  const ghId = identityFromToken(gh, config);
  assert.equal(ghId.san.value, 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.0.0');
  assert.equal(ghId.extensions.find((e) => e.oid === '1.3.6.1.4.1.57264.1.14')?.value, 'refs/tags/v1.0.0');
  assert.equal(ghId.legacyExtensions.length, 5);
  const gl = identityFromToken(await verifier().verify(await mint(['--gitlab-project', 'my-group/my-project', '--gitlab-ref', 'v2', '--gitlab-ref-type', 'tag'])), config);
  assert.equal(gl.san.value, 'https://gitlab.com/my-group/my-project//.gitlab-ci.yml@refs/tags/v2');
  assert.equal(gl.extensions.find((e) => e.oid === '1.3.6.1.4.1.57264.1.14')?.value, 'refs/tags/v2');
  const bk = identityFromToken(await verifier().verify(await mint(['--buildkite-pipeline', 'acme-inc/super-duper-app'])), config);
  assert.equal(bk.san.value, 'https://buildkite.com/acme-inc/super-duper-app');
});

test('token refusals against the real issuer, each with its code', async () => {
  const email = await mint(['--email', 'dev@example.com', '--ttl', '60']);
  await assert.rejects(verifier().verify(await mint(['--email', 'dev@example.com', '--audience', 'not-sigstore'])), { code: 'ERR_OIDC_TOKEN_AUDIENCE' });
  offsetMs = 10 * 60_000;
  await assert.rejects(verifier().verify(email), { code: 'ERR_OIDC_TOKEN_EXPIRED' });
  offsetMs = -10 * 60_000;
  await assert.rejects(verifier().verify(email), { code: 'ERR_OIDC_TOKEN_NOT_YET_VALID' });
  offsetMs = 0;
  const other = parseIssuerConfig({ OIDCIssuers: { 'https://accounts.google.com': { Type: 'email' } } });
  await assert.rejects(verifier(other).verify(email), { code: 'ERR_OIDC_ISSUER_UNKNOWN' });
  const [h, p, s] = email.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, email: 'ceo@example.com', sub: 'ceo@example.com' })).toString('base64url');
  await assert.rejects(verifier().verify(`${h}.${forged}.${s}`), { code: 'ERR_OIDC_TOKEN_SIGNATURE' });
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  await assert.rejects(verifier().verify(`${none}.${p}.`), { code: 'ERR_OIDC_TOKEN_ALGORITHM' });
  // a CI token presented where its issuer is configured as an email issuer carries no verified email
  const asEmail = parseIssuerConfig({ OIDCIssuers: { [`${issuer}/github-actions`]: { Type: 'email' } } });
  await assert.rejects(verifier(asEmail).verify(await mint(['--github-repository', 'o/r'])), { code: 'ERR_OIDC_EMAIL_UNVERIFIED' });
  await assert.rejects(verifier().verify('not.a-token'), { code: 'ERR_OIDC_TOKEN_MALFORMED' });
});

test('sigil token refuses bad input with clear codes and exit statuses', async () => {
  const wrong = await runCli(['token', '--issuer', issuer, '--email', 'a@example.com'], { env: isolatedEnv({ SIGIL_OIDC_ACCESS_SECRET: 'not-the-secret-at-all' }) });
  assert.equal(wrong.code, 5);
  assert.match(wrong.stderr, /ERR_OIDC_CLIENT_UNAUTHORIZED/);
  assert.equal(wrong.stdout, '');
  const empty = makeTempDir('no-oidc');
  const missing = await runCli(['token', '--issuer', issuer, '--data', empty, '--email', 'a@example.com']);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /ERR_OIDC_MINT_SECRET_MISSING/);
  for (const args of [[], ['--email', 'a@example.com', '--github-repository', 'o/r'], ['--email', 'a@example.com', '--ttl', '2d']]) {
    const r = await runCli(['token', '--issuer', issuer, '--data', dataDir, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /ERR_USAGE/);
  }
  const badEmail = await runCli(['token', '--issuer', issuer, '--data', dataDir, '--email', 'not-an-email']);
  assert.equal(badEmail.code, 2);
  assert.match(badEmail.stderr, /ERR_OIDC_REQUEST_INVALID/);
  assert.doesNotMatch(badEmail.stderr, /\n\s+at /);
  const down = await runCli(['token', '--issuer', 'http://127.0.0.1:9/oidc', '--data', dataDir, '--email', 'a@example.com']);
  assert.equal(down.code, 4);
});

test('rotation: after a restart with --oidc-rotate-key old tokens still verify, new ones use the new key', async () => {
  const old = await mint(['--email', 'dev@example.com']);
  const v = verifier();
  await v.verify(old);
  const kidOf = (t: string): string => String((JSON.parse(Buffer.from(t.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid);
  await server.stop();
  server = await startSigilServer(dataDir, ['--only', 'oidc', '--addr', `127.0.0.1:${port}`, '--oidc-rotate-key']);
  assert.match(server.stderr(), /rotated/);
  const fresh = await mint(['--email', 'dev@example.com']);
  assert.notEqual(kidOf(fresh), kidOf(old));
  const jwks = await (await fetch(`${issuer}/jwks`)).json() as { keys: { kid: string }[] };
  assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([kidOf(old), kidOf(fresh)]));
  // the verifier that cached the old key set refetches it for the new kid (past the rate limit)
  offsetMs = 15_000;
  assert.equal((await v.verify(fresh)).subject, 'dev@example.com');
  assert.equal((await v.verify(old)).subject, 'dev@example.com');
  assert.equal((await verifier().verify(old)).subject, 'dev@example.com');
  offsetMs = 0;
  const stored = JSON.parse(readFileSync(join(dataDir, 'oidc', 'signing-keys.json'), 'utf8')) as { keys: unknown[] };
  assert.equal(stored.keys.length, 2);
});
