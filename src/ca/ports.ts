/**
 * What the CA needs from outside: a verifier for OIDC tokens. The identity side (token
 * verification, issuer configuration, claims → certificate identity) and the issuing side
 * (certificate profile, CSR and proof of possession, CT, Fulcio API) meet at these types.
 */
import type { ErrorCode } from '../core/index.ts';

/** Fulcio's issuer types (its `Type` field in the issuer configuration). */
export type IssuerType =
  | 'email'
  | 'uri'
  | 'username'
  | 'spiffe'
  | 'github-workflow'
  | 'gitlab-pipeline'
  | 'buildkite-job'
  | 'codefresh-workflow'
  | 'chainguard-identity'
  | 'ci-provider'
  | 'kubernetes';

/** An OIDC token whose signature, audience and validity window were checked. */
export interface VerifiedToken {
  /** the `iss` claim, exactly as configured */
  readonly issuer: string;
  /** the `sub` claim */
  readonly subject: string;
  /** the issuer type the configuration gives for this issuer */
  readonly type: IssuerType;
  /** every claim of the token */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Checks a raw OIDC token (compact JWS). Throws a CA error (Fulcio's body) when it is refused. */
export interface TokenVerifier {
  verify(rawToken: string): Promise<VerifiedToken>;
}

/** One X.509 extension value sigil writes as a DER UTF8String (Fulcio's OIDs 1.3.6.1.4.1.57264.1.8 onwards). */
export interface IdentityExtension {
  readonly oid: string;
  readonly value: string;
}

/** What a certificate says about whom it was issued to. */
export interface CertificateIdentity {
  /**
   * the Subject Alternative Name (critical when the subject DN is empty, as Fulcio's is);
   * `other-name` is Fulcio's otherName with type-id 1.3.6.1.4.1.57264.1.7 (value `user!domain`,
   * a DER UTF8String inside the otherName) used by `username` issuers
   */
  readonly san: { readonly kind: 'email' | 'uri' | 'other-name'; readonly value: string };
  /** the OIDC issuer, written raw in 1.3.6.1.4.1.57264.1.1 and as UTF8String in .1.8 */
  readonly issuer: string;
  /** the CI extensions .1.9 onwards (and .1.8 itself is derived from `issuer`) */
  readonly extensions: readonly IdentityExtension[];
  /** the deprecated raw-string GitHub extensions .1.2 to .1.6, written as Fulcio still writes them */
  readonly legacyExtensions: readonly IdentityExtension[];
  /**
   * the value the proof of possession signs (Fulcio's principal name): the email for `email`
   * issuers, else the `sub` claim, unless the issuer configuration names a `ChallengeClaim`
   */
  readonly challenge: string;
}

/**
 * One issuer entry of Fulcio's issuer configuration (its `OIDCIssuers` / `MetaIssuers` values),
 * resolved for a concrete issuer URL. Field names follow Fulcio's JSON keys in camelCase.
 */
export interface IssuerEntry {
  /** the concrete issuer URL (for a meta issuer: the token's `iss` that matched the pattern) */
  readonly issuerUrl: string;
  /** the audience tokens must carry (Fulcio's `ClientID`; `sigstore` by default) */
  readonly clientId: string;
  readonly type: IssuerType;
  /** for `ci-provider`: the key of `CIIssuerMetadata` whose templates apply */
  readonly ciProvider?: string;
  /** for `uri` (a URL) and `username` (a host name) issuers */
  readonly subjectDomain?: string;
  /** for `spiffe` issuers */
  readonly spiffeTrustDomain?: string;
  /** for federated `email` issuers: a `$.a.b` path to the claim naming the upstream issuer */
  readonly issuerClaim?: string;
  /** overrides the claim whose value the proof of possession signs */
  readonly challengeClaim?: string;
  /** accept `email` tokens whose `email_verified` is not true */
  readonly skipEmailVerification?: boolean;
}

/** Finds the configuration entry for a token's `iss` (exact `OIDCIssuers` first, then `MetaIssuers` patterns). */
export interface IssuerLookup {
  findIssuer(issuerUrl: string): IssuerEntry | undefined;
}

/** Watches certificate requests (for metrics); each call must be cheap and must not throw. */
export interface CaObserver {
  /** A certificate was issued to a token of this issuer type. */
  issued(type: IssuerType): void;
  /** A signing request was refused with this error code (`ERR_INTERNAL` for an unexpected failure). */
  refused(code: ErrorCode): void;
}
