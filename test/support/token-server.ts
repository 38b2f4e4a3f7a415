// A token server for distribution's own `auth: token` mode: it checks basic credentials and
// issues ES256 JWTs with distribution's claims (iss, sub, aud, exp, nbf, iat, jti, access)
// and an x5c header chaining to the certificate the registry trusts (its rootcertbundle).
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { SelfSigned } from './tls.ts';

/** A running token server. */
export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** each request's scopes and whether its credentials were valid */
  readonly requests: { scopes: string[]; authenticated: boolean }[];
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function jwt(key: SelfSigned, claims: Record<string, unknown>): string {
  const certDer = new X509Certificate(readFileSync(key.certPath)).raw;
  const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(readFileSync(key.keyPath)), dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

/** Parses `repository:name:pull,push` into distribution's access entry. */
function access(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const parts = scope.split(':');
  if (parts.length !== 3) return undefined;
  const [type = '', name = '', actions = ''] = parts;
  return { type, name, actions: actions.split(',') };
}

/** Starts a token server for `user`, signing with `key` (an EC P-256 certificate and key). */
export async function startTokenServer(key: SelfSigned, user: { username: string; password: string }): Promise<TokenServer> {
  const requests: TokenServer['requests'] = [];
  const service = 'sigil-test-registry';
  const issuer = 'sigil-test-issuer';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    const authenticated = req.headers.authorization === expected;
    requests.push({ scopes, authenticated });
    if (req.headers.authorization && !authenticated) { res.writeHead(401); res.end(); return; }
    const now = Math.floor(Date.now() / 1000);
    const token = jwt(key, {
      iss: issuer, sub: authenticated ? user.username : '', aud: url.searchParams.get('service') ?? '',
      exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'),
      access: authenticated ? scopes.flatMap((s) => access(s) ?? []) : [],
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`, service, issuer, requests,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
