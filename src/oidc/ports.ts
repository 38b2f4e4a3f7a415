/**
 * What the local OIDC issuer needs from outside: its signing keys (kept on disk by the server).
 */

/** A public key as published in the JWKS (RFC 7517), with `kid`, `alg` and `use`. */
export type PublicJwk = Readonly<Record<string, unknown>>;

/** Signs a claim set as a compact JWS with the active key. */
export interface TokenSigner {
  readonly kid: string;
  readonly alg: string;
  sign(claims: Readonly<Record<string, unknown>>): Promise<string>;
}

/** The issuer's keys: the active signer, and every public key tokens may still carry (rotation keeps old ones). */
export interface IssuerKeys {
  readonly signer: TokenSigner;
  readonly publicKeys: readonly PublicJwk[];
}
