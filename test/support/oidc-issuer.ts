// A minimal OpenID provider on 127.0.0.1 for keyless tests: discovery and a JWKS, and ES256 ID
// tokens for any claims. `sigil server --ca-config` can trust it as an email or CI issuer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/** A running provider. */
export interface OidcIssuer {
  /** the issuer URL (iss) */
  readonly url: string;
  /** Mints a token (audience sigstore, valid for ttlSeconds; negative: already expired). */
  mint(claims: Record<string, unknown>, ttlSeconds?: number): Promise<string>;
  /** A Fulcio-shaped issuer configuration trusting this provider as an `email` issuer. */
  caConfig(): string;
  close(): Promise<void>;
}

/** Starts the provider on an ephemeral port. */
export async function startOidcIssuer(): Promise<OidcIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let url = '';
  const server = createServer((req, res) => {
    const body = req.url === '/.well-known/openid-configuration'
      ? { issuer: url, jwks_uri: `${url}/jwks`, id_token_signing_alg_values_supported: ['ES256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }
      : req.url === '/jwks' ? { keys: [jwk] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async mint(claims, ttlSeconds = 600) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: url, aud: 'sigstore', iat: now, nbf: now - 5, exp: now + ttlSeconds, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
    },
    caConfig: () => JSON.stringify({ OIDCIssuers: { [url]: { IssuerURL: url, ClientID: 'sigstore', Type: 'email' } } }),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
