// A loopback OIDC issuer for CA tests: discovery and JWKS over real HTTP, ES256 tokens signed
// with jose. Stands in for an outside identity provider given to the CA with --ca-config.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A running issuer. */
export interface TestOidcIssuer {
  /** the issuer URL (`iss`) */
  readonly issuer: string;
  /** Signs a token with the issuer's key: audience `sigstore`, five minutes, plus `claims` (which override). */
  mint(claims: Record<string, unknown>, options?: { key?: 'issuer' | 'stranger'; header?: Record<string, unknown> }): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the issuer on 127.0.0.1 with a fresh ES256 key. */
export async function startTestOidcIssuer(): Promise<TestOidcIssuer> {
  const key = await generateKeyPair('ES256', { extractable: true });
  const stranger = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const body = req.url === '/.well-known/openid-configuration'
      ? { issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }
      : req.url === '/jwks' ? { keys: [jwk] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body ? JSON.stringify(body) : '{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    async mint(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const signingKey: CryptoKey = options.key === 'stranger' ? stranger.privateKey : key.privateKey;
      return new SignJWT({ iss: issuer, aud: 'sigstore', iat: now, nbf: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...options.header })
        .sign(signingKey);
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
