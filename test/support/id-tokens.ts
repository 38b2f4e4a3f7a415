// OIDC identity tokens for client tests, signed by a throwaway key (the CA stand-in reads claims only).
import { SignJWT, generateKeyPair } from 'jose';

const keys = generateKeyPair('ES256');

/** Mints a token with `claims`, audience sigstore, valid for `ttlSeconds` (negative: already expired). */
export async function mintIdToken(claims: Record<string, unknown>, ttlSeconds = 600): Promise<string> {
  const { privateKey } = await keys;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ aud: 'sigstore', iat: now, nbf: now - 5, exp: now + ttlSeconds, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'test' })
    .sign(privateKey);
}
