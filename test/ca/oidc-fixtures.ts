// Shared fixtures for the identity tests: real providers' claim sets (test/vectors/oidc), the
// Fulcio extension arc, a verified-token builder, and the public-good instance's main issuers
// in Fulcio's JSON config form.
import { readFileSync } from 'node:fs';
import type { IssuerType, VerifiedToken } from '../../src/ca/ports.ts';

/** Fulcio's certificate extension arc (1.3.6.1.4.1.57264.1.N). */
export const ARC = '1.3.6.1.4.1.57264.1';

/** The claim set of test/vectors/oidc/<name>. */
export function oidcVector(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../vectors/oidc/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** A token as the verifier hands it to the CA: issuer and subject from the claims (a CI provider's unless `type` says). */
export function verifiedToken(claims: Record<string, unknown>, type: IssuerType = 'ci-provider'): VerifiedToken {
  return { issuer: String(claims['iss']), subject: String(claims['sub']), type, claims };
}

/** Google, dex (with its federated issuer claim), GitHub Actions, GitLab and Buildkite, as Fulcio's JSON config lists them. */
export const PUBLIC_GOOD_OIDC_ISSUERS = {
  'https://accounts.google.com': { IssuerURL: 'https://accounts.google.com', ClientID: 'sigstore', Type: 'email' },
  'https://oauth2.sigstore.dev/auth': { IssuerURL: 'https://oauth2.sigstore.dev/auth', ClientID: 'sigstore', Type: 'email', IssuerClaim: '$.federated_claims.connector_id' },
  'https://token.actions.githubusercontent.com': { IssuerURL: 'https://token.actions.githubusercontent.com', ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'github-workflow' },
  'https://gitlab.com': { IssuerURL: 'https://gitlab.com', ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'gitlab-pipeline' },
  'https://agent.buildkite.com': { IssuerURL: 'https://agent.buildkite.com', ClientID: 'sigstore', Type: 'ci-provider', CIProvider: 'buildkite-job' },
} as const;
