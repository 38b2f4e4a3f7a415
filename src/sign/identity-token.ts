/**
 * What a keyless signer reads from its OIDC identity token before sending it to the CA: the
 * subject the proof of possession signs. As cosign (and Fulcio's email issuers): the `email`
 * claim when the token has one, else `sub`. The token's signature, audience and expiry are the
 * CA's to check; the client reads the payload only.
 */
import { decodeJwt } from 'jose';
import { InputError } from '../core/index.ts';

/** The claims a signer uses. */
export interface IdentityTokenClaims {
  /** the `iss` claim */
  readonly issuer: string;
  /** the `email` claim when present, else `sub`: what the proof of possession signs */
  readonly subject: string;
  /** the `exp` claim (unix seconds), when present */
  readonly expiresAt?: number;
}

/**
 * Reads the claims of a compact JWT without verifying it.
 * @throws ERR_KEYLESS_TOKEN_MALFORMED when it is not a JWT, or names no issuer or subject
 */
export function parseIdentityToken(token: string): IdentityTokenClaims {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token.trim());
  } catch {
    throw new InputError('ERR_KEYLESS_TOKEN_MALFORMED', `the identity token is not a compact jwt (${token.trim().split('.').length} dot-separated parts)`);
  }
  const { iss, sub, email, exp } = claims;
  if (typeof iss !== 'string' || iss === '') throw new InputError('ERR_KEYLESS_TOKEN_MALFORMED', 'the identity token has no iss claim');
  const subject = typeof email === 'string' && email !== '' ? email : sub;
  if (typeof subject !== 'string' || subject === '') throw new InputError('ERR_KEYLESS_TOKEN_MALFORMED', 'the identity token has neither an email nor a sub claim');
  return { issuer: iss, subject, ...(typeof exp === 'number' ? { expiresAt: exp } : {}) };
}
