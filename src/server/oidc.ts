/**
 * The local OIDC issuer as a service of `sigil server`, mounted at `/oidc` on the shared port:
 * its issuer URL is `<public-url>/oidc` (docs/oidc.md). Keys and the access secret live under
 * `<data>/oidc/`; `--oidc-rotate-key` adds a signing key at start, keeping old public keys.
 */
import { createGrantStore, createOidcRoutes, createSecretCheck } from '../oidc/index.ts';
import { loadIssuerState } from './oidc-keys.ts';
import type { Service, ServiceContext } from './service.ts';

/** Where the issuer is mounted. */
export const OIDC_BASE_PATH = '/oidc';

/**
 * Builds the issuer service.
 * @throws ERR_CONFIG_INVALID for unusable key or secret files
 */
export async function createOidcService(ctx: ServiceContext): Promise<Service> {
  const state = await loadIssuerState({ dataDir: ctx.dataDir, clock: ctx.clock, random: ctx.random, rotate: ctx.oidcRotateKey === true });
  const routes = createOidcRoutes({
    basePath: OIDC_BASE_PATH, keys: state.keys, grants: createGrantStore({ clock: ctx.clock, random: ctx.random }),
    secretMatches: createSecretCheck(state.secret), clock: ctx.clock, random: ctx.random,
  });
  ctx.log(`oidc: issuer ${ctx.publicUrl()}${OIDC_BASE_PATH}, signing key ${state.keys.signer.kid}${state.rotated ? ' (rotated)' : ''}, ${state.keys.publicKeys.length} published`);
  return { name: 'oidc', routes };
}
