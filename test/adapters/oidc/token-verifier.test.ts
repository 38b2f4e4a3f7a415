// The TokenVerifier against a real loopback issuer (discovery + JWKS over HTTP) and real keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier } from '../../../src/adapters/oidc/index.ts';
import { parseIssuerConfig } from '../../../src/ca/issuer-config.ts';

interface Key { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK }

async function makeKey(kid: string, alg: string): Promise<Key> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

let server: Server;
let base = '';
const published: Key[] = [];
let jwksFetches = 0;
let discoveryIssuer: string | undefined;
const NOW = new Date('2026-11-23T12:00:00Z');
let nowMs = NOW.getTime();
const clock = (): Date => new Date(nowMs);
const sec = (d: Date): number => Math.floor(d.getTime() / 1000);

before(async () => {
  server = createServer((req, res) => {
    const issuer = `${base}/issuer`;
    if (req.url === '/issuer/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ issuer: discoveryIssuer ?? issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/issuer/jwks') {
      jwksFetches++;
      res.end(JSON.stringify({ keys: published.map((k) => k.publicJwk) }));
    } else if (req.url === '/broken/.well-known/openid-configuration') {
      res.statusCode = 500;
      res.end('oops');
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  published.push(await makeKey('es', 'ES256'), await makeKey('rs', 'RS256'), await makeKey('ed', 'EdDSA'));
});
after(() => new Promise<void>((r) => server.close(() => r())));

function verifier(): ReturnType<typeof createTokenVerifier> {
  const config = parseIssuerConfig({
    OIDCIssuers: {
      [`${base}/issuer`]: { IssuerURL: `${base}/issuer`, ClientID: 'sigstore', Type: 'email' },
      [`${base}/broken`]: { IssuerURL: `${base}/broken`, ClientID: 'sigstore', Type: 'email' },
    },
  });
  return createTokenVerifier({ config, fetch: globalThis.fetch, clock, timeoutMs: 5_000 });
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: `${base}/issuer`, sub: 'jane', aud: 'sigstore', email: 'jane@example.com', email_verified: true, iat: sec(NOW), nbf: sec(NOW), exp: sec(NOW) + 600, ...extra };
}

async function sign(key: Key, payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

test('accepts ES256, RS256 and EdDSA tokens of a configured issuer', async () => {
  const v = verifier();
  for (const key of published) {
    const out = await v.verify(await sign(key, claims()));
    assert.equal(out.issuer, `${base}/issuer`);
    assert.equal(out.subject, 'jane');
    assert.equal(out.type, 'email');
    assert.equal(out.claims['email'], 'jane@example.com');
  }
});

test('tolerates a small clock skew on exp and nbf', async () => {
  const v = verifier();
  await v.verify(await sign(published[0]!, claims({ exp: sec(NOW) - 30, nbf: sec(NOW) + 30, iat: sec(NOW) + 30 })));
});

test('every token rejection has its own code', async () => {
  const v = verifier();
  const es = published[0]!;
  const stranger = await makeKey('es', 'ES256');
  const hs = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
  const cases: { name: string; token: () => Promise<string> | string; code: string }[] = [
    { name: 'wrong audience', token: () => sign(es, claims({ aud: 'someone-else' })), code: 'ERR_OIDC_TOKEN_AUDIENCE' },
    { name: 'expired', token: () => sign(es, claims({ exp: sec(NOW) - 120 })), code: 'ERR_OIDC_TOKEN_EXPIRED' },
    { name: 'not yet valid (nbf)', token: () => sign(es, claims({ nbf: sec(NOW) + 300 })), code: 'ERR_OIDC_TOKEN_NOT_YET_VALID' },
    { name: 'issued in the future (iat)', token: () => sign(es, claims({ iat: sec(NOW) + 300, nbf: undefined })), code: 'ERR_OIDC_TOKEN_NOT_YET_VALID' },
    { name: 'no exp', token: () => sign(es, claims({ exp: undefined })), code: 'ERR_OIDC_TOKEN_CLAIMS' },
    { name: 'unknown issuer', token: () => sign(es, claims({ iss: 'https://evil.example' })), code: 'ERR_OIDC_ISSUER_UNKNOWN' },
    { name: 'signed by another key under a known kid', token: () => sign(stranger, claims()), code: 'ERR_OIDC_TOKEN_SIGNATURE' },
    { name: 'tampered claims', token: async () => { const [h, , s] = (await sign(es, claims())).split('.'); return `${h}.${b64url(claims({ email: 'evil@example.com' }))}.${s}`; }, code: 'ERR_OIDC_TOKEN_SIGNATURE' },
    { name: 'alg none', token: () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`, code: 'ERR_OIDC_TOKEN_ALGORITHM' },
    { name: 'alg HS256 (symmetric, not allowed)', token: () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'es' }).sign(hs), code: 'ERR_OIDC_TOKEN_ALGORITHM' },
    { name: 'unverified email', token: () => sign(es, claims({ email_verified: false })), code: 'ERR_OIDC_EMAIL_UNVERIFIED' },
    { name: 'no email for an email issuer', token: () => sign(es, claims({ email: undefined })), code: 'ERR_OIDC_EMAIL_UNVERIFIED' },
    { name: 'not a jwt', token: () => 'hello', code: 'ERR_OIDC_TOKEN_MALFORMED' },
    { name: 'header not json', token: () => `${Buffer.from('nope').toString('base64url')}.${b64url(claims())}.c2ln`, code: 'ERR_OIDC_TOKEN_MALFORMED' },
    { name: 'no iss', token: () => sign(es, claims({ iss: undefined })), code: 'ERR_OIDC_TOKEN_CLAIMS' },
    { name: 'huge token', token: () => `a.${'b'.repeat(70_000)}.c`, code: 'ERR_OIDC_TOKEN_MALFORMED' },
  ];
  for (const c of cases) {
    await assert.rejects(v.verify(await c.token()), { code: c.code }, c.name);
  }
});

test('an unknown kid refetches the JWKS (rotation), at most once per interval', async () => {
  const v = verifier();
  await v.verify(await sign(published[0]!, claims()));
  const before = jwksFetches;
  const rotated = await makeKey('rotated-1', 'ES256');
  published.push(rotated);
  // within the minimum interval the new key is not fetched yet
  await assert.rejects(v.verify(await sign(rotated, claims())), { code: 'ERR_OIDC_TOKEN_SIGNATURE' });
  assert.equal(jwksFetches, before);
  nowMs += 11_000;
  const out = await v.verify(await sign(rotated, claims({ exp: sec(clock()) + 600 })));
  assert.equal(out.subject, 'jane');
  assert.equal(jwksFetches, before + 1);
  // a flood of unknown kids right after costs no further fetch
  const ghost = await makeKey('ghost', 'ES256');
  for (let i = 0; i < 5; i++) await assert.rejects(v.verify(await sign(ghost, claims({ exp: sec(clock()) + 600 }))), { code: 'ERR_OIDC_TOKEN_SIGNATURE' });
  assert.equal(jwksFetches, before + 1);
  nowMs = NOW.getTime();
});

test('discovery problems are upstream errors, not accepted tokens', async () => {
  const v = verifier();
  await assert.rejects(v.verify(await sign(published[0]!, claims({ iss: `${base}/broken` }))), { code: 'ERR_OIDC_DISCOVERY' });
  discoveryIssuer = 'https://impostor.example';
  try {
    await assert.rejects(verifier().verify(await sign(published[0]!, claims())), { code: 'ERR_OIDC_DISCOVERY' });
  } finally {
    discoveryIssuer = undefined;
  }
});
