// A TokenVerifier for in-process route tests before the identity side exists: real ES256 JWTs
// signed by a key the test holds, checked with jose (signature, issuer, audience, expiry).
import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import type { CertificateIdentity, TokenVerifier, VerifiedToken } from '../../src/ca/index.ts';

export const TEST_ISSUER = 'https://issuer.test/oidc';

export interface TestTokens {
  readonly verifier: TokenVerifier;
  mint(claims: Record<string, unknown>): Promise<string>;
}

export async function createTestTokens(): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return {
    verifier: {
      async verify(raw) {
        const { payload } = await jwtVerify(raw, publicKey as CryptoKey, { issuer: TEST_ISSUER, audience: 'sigstore', algorithms: ['ES256'] });
        return { issuer: TEST_ISSUER, subject: String(payload.sub), type: 'email', claims: payload };
      },
    },
    mint: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer(TEST_ISSUER).setAudience('sigstore')
      .setIssuedAt().setExpirationTime('5m').sign(privateKey),
  };
}

export function emailIdentityOf(token: VerifiedToken): CertificateIdentity {
  const email = String(token.claims['email']);
  return { san: { kind: 'email', value: email }, issuer: token.issuer, extensions: [], legacyExtensions: [], challenge: email };
}
