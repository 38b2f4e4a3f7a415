/**
 * The issuer list of Fulcio's `GET /api/v2/configuration` (fulcio.proto `Configuration`,
 * pkg/config ToIssuers): one entry per configured issuer, exact ones by `issuerUrl`, meta ones
 * by `wildcardIssuerUrl`, with the audience and the claim the proof of possession signs.
 */
import type { IssuerConfig } from './issuer-config.ts';
import type { IssuerEntry } from './ports.ts';

/** One `OIDCIssuer` of the configuration answer (grpc-gateway JSON: camelCase, empty fields omitted). */
export interface ConfigurationIssuer {
  readonly issuerUrl?: string;
  readonly wildcardIssuerUrl?: string;
  readonly audience: string;
  readonly challengeClaim: string;
  readonly spiffeTrustDomain?: string;
  readonly issuerType: string;
  readonly subjectDomain?: string;
}

/** Fulcio's issuerToChallengeClaim: `email` for email issuers, else `sub`, unless configured. */
export function challengeClaimOf(entry: IssuerEntry): string {
  return entry.challengeClaim ?? (entry.type === 'email' ? 'email' : 'sub');
}

function describe(entry: IssuerEntry, where: { issuerUrl: string } | { wildcardIssuerUrl: string }): ConfigurationIssuer {
  return {
    ...where, audience: entry.clientId, challengeClaim: challengeClaimOf(entry), issuerType: entry.type,
    ...(entry.spiffeTrustDomain === undefined ? {} : { spiffeTrustDomain: entry.spiffeTrustDomain }),
    ...(entry.subjectDomain === undefined ? {} : { subjectDomain: entry.subjectDomain }),
  };
}

/** The `{"issuers": [...]}` body of `/api/v2/configuration` for `config`. */
export function toConfigurationIssuers(config: IssuerConfig): { readonly issuers: readonly ConfigurationIssuer[] } {
  return {
    issuers: [
      ...[...config.oidcIssuers.values()].map((e) => describe(e, { issuerUrl: e.issuerUrl })),
      ...[...config.metaIssuers.entries()].map(([pattern, e]) => describe(e, { wildcardIssuerUrl: pattern })),
    ],
  };
}
