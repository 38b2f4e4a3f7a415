/**
 * A TokenSigner over a private JWK (ES256 or RS256), using jose with the algorithm named
 * explicitly: the header carries the key's `kid` so verifiers pick the right JWKS entry.
 */
import { importJWK, SignJWT, type JWK } from 'jose';
import { ConfigError } from '../core/index.ts';
import type { TokenSigner } from './ports.ts';

const ALGORITHMS = new Set(['ES256', 'RS256']);

/**
 * Creates a signer from a private JWK.
 * @throws ERR_CONFIG_INVALID when the key is not an ES256/RS256 private key with a kid
 */
export async function createTokenSigner(privateJwk: Readonly<Record<string, unknown>>, alg: string): Promise<TokenSigner> {
  const kid = privateJwk['kid'];
  if (!ALGORITHMS.has(alg) || typeof kid !== 'string' || typeof privateJwk['d'] !== 'string') {
    throw new ConfigError('ERR_CONFIG_INVALID', `the issuer signing key must be an ES256 or RS256 private jwk with a kid (got alg ${alg})`);
  }
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK({ ...privateJwk } as JWK, alg);
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `the issuer signing key ${kid} does not import as ${alg}`, { cause });
  }
  return {
    kid, alg,
    sign: (claims) => new SignJWT({ ...claims }).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key),
  };
}

/** The public half of a private JWK, as the JWKS publishes it. */
export function toPublicJwk(privateJwk: Readonly<Record<string, unknown>>, alg: string): Record<string, unknown> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, key_ops: _ops, ext: _ext, ...pub } = privateJwk;
  return { ...pub, alg, use: 'sig' };
}
