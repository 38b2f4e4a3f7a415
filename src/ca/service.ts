/**
 * The CA's one operation, in Fulcio's order (research §4.2): verify the token, derive the
 * certificate identity and the challenge, check the key and its proof of possession (or the CSR's
 * self-signature), apply the rate limit, then issue (CT first). Any refusal leaves no
 * certificate and no CT entry behind.
 */
import { InternalError, isAppError } from '../core/index.ts';
import { parseCsrPem } from './csr.ts';
import { createCertificateIssuer, type IssuedCertificate, type IssuerDeps } from './issue.ts';
import type { CaObserver, CertificateIdentity, TokenVerifier, VerifiedToken } from './ports.ts';
import { parseRequestedKey, verifyProofOfPossession, type RequestedKey } from './public-key.ts';
import type { RateLimiter } from './rate-limit.ts';

/** The key part of a request: a public key with its proof of possession, or a PEM CSR. */
export type KeyRequest =
  | { readonly kind: 'public-key'; readonly content: Uint8Array; readonly proofOfPossession: Uint8Array }
  | { readonly kind: 'csr'; readonly pem: string };

/** What the CA service is built from. */
export interface CaServiceDeps {
  readonly verifier: TokenVerifier;
  /** claims → certificate identity and proof-of-possession challenge (the identity side's mapping) */
  readonly identityOf: (token: VerifiedToken) => CertificateIdentity;
  readonly issuer: IssuerDeps;
  readonly rateLimiter?: RateLimiter;
  /** told of each certificate issued (its refusals are counted by the routes, which see every one) */
  readonly observer?: Pick<CaObserver, 'issued'>;
}

/** The CA service. */
export interface CaService {
  /**
   * Issues a certificate for the token's identity and the requested key.
   * @throws the verifier's token errors, ERR_CA_PUBLIC_KEY_INVALID, ERR_CA_PUBLIC_KEY_UNSUPPORTED,
   * ERR_CA_PROOF_INVALID, ERR_CA_CSR_INVALID, ERR_CA_RATE_LIMITED, ERR_CA_CT_FAILED
   */
  signingCertificate(rawToken: string, request: KeyRequest): Promise<IssuedCertificate>;
  /** intermediate first, root last (DER) */
  readonly chainDer: readonly Uint8Array[];
}

function keyOf(request: KeyRequest, challenge: string): RequestedKey {
  if (request.kind === 'csr') return parseCsrPem(request.pem);
  const key = parseRequestedKey(request.content);
  verifyProofOfPossession(key, challenge, request.proofOfPossession);
  return key;
}

/** Builds the CA service. */
export function createCaService(deps: CaServiceDeps): CaService {
  const logPrecertificate = async (chain: readonly Uint8Array[]) => {
    try {
      return await deps.issuer.logPrecertificate(chain);
    } catch (cause) {
      throw new InternalError('ERR_CA_CT_FAILED', `Error entering certificate in CTL: ${isAppError(cause) ? cause.code : 'unexpected error'}`, { cause });
    }
  };
  const issue = createCertificateIssuer({ ...deps.issuer, logPrecertificate });
  return {
    chainDer: deps.issuer.chainDer,
    async signingCertificate(rawToken, request) {
      const token = await deps.verifier.verify(rawToken);
      const identity = deps.identityOf(token);
      const key = keyOf(request, identity.challenge);
      deps.rateLimiter?.take(`${identity.issuer}\n${identity.san.kind}:${identity.san.value}`);
      const issued = await issue(identity, key.spkiDer);
      deps.observer?.issued(token.type);
      return issued;
    },
  };
}
