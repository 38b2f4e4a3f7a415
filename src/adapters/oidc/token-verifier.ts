/**
 * The CA's TokenVerifier: checks a raw OIDC ID token against the configured issuer's published
 * keys (discovery + JWKS, see key-sets.ts), with an explicit algorithm allowlist, the issuer's
 * ClientID as audience, and exp/nbf/iat against an injected clock with a small skew. Every
 * refusal has its own stable code (core/errors.ts, the ERR_OIDC_TOKEN_* rows).
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { AuthError, isAppError, type Clock } from '../../core/index.ts';
import type { IssuerEntry, IssuerLookup, TokenVerifier, VerifiedToken } from '../../ca/ports.ts';
import { createKeySetCache, type KeySetCache, type KeySetCacheOptions } from './key-sets.ts';

/** The signature algorithms accepted by default (never `none`, never HMAC: issuers sign asymmetrically). */
export const DEFAULT_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Options of `createTokenVerifier`. */
export interface TokenVerifierOptions extends Omit<KeySetCacheOptions, 'clock' | 'fetch'> {
  /** which issuers are trusted, and their audience and type (a parsed Fulcio configuration) */
  readonly config: IssuerLookup;
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** allowed clock skew for exp, nbf and iat (default 60 s) */
  readonly clockSkewSeconds?: number;
  readonly algorithms?: readonly string[];
}

const MAX_TOKEN_CHARS = 64 * 1024;

function refuse(code: ConstructorParameters<typeof AuthError>[0], message: string, cause?: unknown): never {
  throw new AuthError(code, message, cause === undefined ? undefined : { cause });
}

/** Reads header and claims without trusting them, refusing what cannot be a signed JWT. */
function inspect(rawToken: string, algorithms: readonly string[]): { alg: string; iss: string } {
  if (rawToken.length > MAX_TOKEN_CHARS) refuse('ERR_OIDC_TOKEN_MALFORMED', `the token is longer than ${MAX_TOKEN_CHARS} characters`);
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(rawToken)) refuse('ERR_OIDC_TOKEN_MALFORMED', 'the token is not a compact jws (three base64url parts)');
  let alg: unknown;
  let payload: JWTPayload;
  try {
    alg = decodeProtectedHeader(rawToken).alg;
    payload = decodeJwt(rawToken);
  } catch (cause) {
    return refuse('ERR_OIDC_TOKEN_MALFORMED', 'the token header or claims are not base64url json objects', cause);
  }
  if (typeof alg !== 'string') refuse('ERR_OIDC_TOKEN_MALFORMED', 'the token header has no alg');
  if (alg.toLowerCase() === 'none') refuse('ERR_OIDC_TOKEN_ALGORITHM', 'the token is unsigned (alg none)');
  if (!algorithms.includes(alg)) refuse('ERR_OIDC_TOKEN_ALGORITHM', `the token algorithm ${alg} is not allowed; allowed: ${algorithms.join(', ')}`);
  if (rawToken.endsWith('.')) refuse('ERR_OIDC_TOKEN_MALFORMED', 'the token has an empty signature');
  if (typeof payload.iss !== 'string' || payload.iss === '') refuse('ERR_OIDC_TOKEN_CLAIMS', 'the token has no iss claim');
  return { alg, iss: payload.iss };
}

/** Maps jose's failures to our codes; AppErrors (discovery failures) pass through. */
function mapJoseError(error: unknown, entry: IssuerEntry): never {
  if (isAppError(error)) throw error;
  if (error instanceof errors.JWTExpired) refuse('ERR_OIDC_TOKEN_EXPIRED', `the token expired (${error.reason})`, error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') refuse('ERR_OIDC_TOKEN_AUDIENCE', `the token audience is not ${entry.clientId}`, error);
    if (error.claim === 'nbf' || error.claim === 'iat') refuse('ERR_OIDC_TOKEN_NOT_YET_VALID', `the token is not valid yet (${error.claim} ${error.reason})`, error);
    refuse('ERR_OIDC_TOKEN_CLAIMS', `the token claim ${error.claim} is invalid (${error.reason})`, error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) refuse('ERR_OIDC_TOKEN_ALGORITHM', 'the token algorithm is not allowed', error);
  if (error instanceof errors.JWSSignatureVerificationFailed) refuse('ERR_OIDC_TOKEN_SIGNATURE', `the token signature does not verify with the key of ${entry.issuerUrl}`, error);
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    refuse('ERR_OIDC_TOKEN_SIGNATURE', `no key of ${entry.issuerUrl} matches the token (unknown kid or key type)`, error);
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) refuse('ERR_OIDC_TOKEN_MALFORMED', `the token is malformed: ${error.message}`, error);
  if (error instanceof errors.JOSEError) refuse('ERR_OIDC_TOKEN_SIGNATURE', `the token does not verify: ${error.message}`, error);
  throw error;
}

function checkTimes(payload: JWTPayload, now: number, skew: number): void {
  if (typeof payload.exp !== 'number') refuse('ERR_OIDC_TOKEN_CLAIMS', 'the token has no numeric exp claim');
  if (typeof payload.iat === 'number' && payload.iat > now + skew) refuse('ERR_OIDC_TOKEN_NOT_YET_VALID', `the token was issued in the future (iat ${payload.iat})`);
  if (typeof payload.sub !== 'string' || payload.sub === '') refuse('ERR_OIDC_TOKEN_CLAIMS', 'the token has no sub claim');
}

function checkEmail(payload: JWTPayload, entry: IssuerEntry): void {
  if (entry.type !== 'email') return;
  if (typeof payload['email'] !== 'string' || payload['email'] === '') refuse('ERR_OIDC_EMAIL_UNVERIFIED', 'the token has no email claim');
  if (entry.skipEmailVerification !== true && payload['email_verified'] !== true) {
    refuse('ERR_OIDC_EMAIL_UNVERIFIED', `the email ${payload['email']} is not verified (email_verified is not true)`);
  }
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

async function verifyWith(rawToken: string, keySet: LocalKeySet, entry: IssuerEntry, opts: { algorithms: readonly string[]; now: Date; skew: number }): Promise<JWTPayload> {
  const { payload } = await jwtVerify(rawToken, keySet, {
    algorithms: [...opts.algorithms], issuer: entry.issuerUrl, audience: entry.clientId,
    clockTolerance: opts.skew, currentDate: opts.now,
  });
  return payload;
}

/**
 * Creates the verifier. The CA calls `verify` with the raw token of each request.
 * @throws (from verify) ERR_OIDC_TOKEN_MALFORMED, ERR_OIDC_TOKEN_ALGORITHM, ERR_OIDC_ISSUER_UNKNOWN,
 *   ERR_OIDC_TOKEN_SIGNATURE, ERR_OIDC_TOKEN_AUDIENCE, ERR_OIDC_TOKEN_EXPIRED,
 *   ERR_OIDC_TOKEN_NOT_YET_VALID, ERR_OIDC_TOKEN_CLAIMS, ERR_OIDC_EMAIL_UNVERIFIED, ERR_OIDC_DISCOVERY
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = options.algorithms ?? DEFAULT_TOKEN_ALGORITHMS;
  const skew = options.clockSkewSeconds ?? 60;
  const keySets: KeySetCache = createKeySetCache(options);
  // one jose key set per fetched JWKS object, so jose's imported keys are reused across tokens
  // (createLocalJWKSet copies the set, and jose caches imports per copy); a refetch is a new object
  const localSets = new WeakMap<object, LocalKeySet>();
  const localSetOf = async (iss: string): Promise<LocalKeySet> => {
    const jwks = await keySets.keys(iss);
    let set = localSets.get(jwks);
    if (set === undefined) {
      // jose validates each JWK it uses (createLocalJWKSet checks the set's shape)
      set = createLocalJWKSet(jwks as unknown as JSONWebKeySet);
      localSets.set(jwks, set);
    }
    return set;
  };
  return {
    async verify(rawToken: string): Promise<VerifiedToken> {
      const { iss } = inspect(rawToken, algorithms);
      const entry = options.config.findIssuer(iss);
      if (entry === undefined) refuse('ERR_OIDC_ISSUER_UNKNOWN', `the token issuer ${iss} is not configured`);
      const now = options.clock();
      let payload: JWTPayload;
      try {
        payload = await verifyWith(rawToken, await localSetOf(iss), entry, { algorithms, now, skew });
      } catch (error) {
        // a rotated issuer key: refetch the JWKS once (rate-limited) and try again
        if (!(error instanceof errors.JWKSNoMatchingKey) || !(await keySets.refresh(iss))) mapJoseError(error, entry);
        try {
          payload = await verifyWith(rawToken, await localSetOf(iss), entry, { algorithms, now, skew });
        } catch (again) {
          mapJoseError(again, entry);
        }
      }
      checkTimes(payload, Math.floor(now.getTime() / 1000), skew);
      checkEmail(payload, entry);
      return { issuer: iss, subject: String(payload.sub), type: entry.type, claims: Object.freeze({ ...payload }) };
    },
  };
}
