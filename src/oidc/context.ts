/**
 * What the issuer's routes share: its keys, pending grants, the secret check, the clock and
 * the token lifetimes; `createOidcContext` adds the one minting function.
 */
import type { Clock, Random } from '../core/index.ts';
import { buildClaims } from './claims.ts';
import type { GrantStore } from './grants.ts';
import type { IdentityRequest } from './identity-request.ts';
import type { IssuerKeys } from './ports.ts';

/** Options of the issuer. */
export interface OidcOptions {
  readonly keys: IssuerKeys;
  readonly grants: GrantStore;
  /** true when the presented secret is the issuer's access secret */
  readonly secretMatches: (given: string | undefined) => boolean;
  readonly clock: Clock;
  readonly random: Random;
  /** lifetime of tokens from logins, and the mint grant's default (default 600 s) */
  readonly defaultTtlSeconds?: number;
  /** the longest lifetime the mint grant may ask for (default 86400 s) */
  readonly maxTtlSeconds?: number;
}

/** The shared state of the routes. */
export interface OidcContext extends Required<OidcOptions> {
  /** Signs a token for `identity`, issued now. */
  mint(issuerBase: string, identity: IdentityRequest, opts: { audience: string; ttlSeconds: number; nonce?: string }): Promise<string>;
}

/** Builds the context. */
export function createOidcContext(options: OidcOptions): OidcContext {
  return {
    defaultTtlSeconds: 600, maxTtlSeconds: 86_400, ...options,
    mint: (issuerBase, identity, opts) => options.keys.signer.sign(buildClaims(identity, {
      issuerBase, audience: opts.audience, now: options.clock(), ttlSeconds: opts.ttlSeconds, random: options.random,
      ...(opts.nonce === undefined ? {} : { nonce: opts.nonce }),
    })),
  };
}
