/**
 * The CA's identity side, composed: which issuers it trusts (sigil's own issuer at
 * `<public-url>/oidc` when the `oidc` service runs, plus a Fulcio-shaped `--ca-config` file),
 * the token verifier over real discovery and JWKS, and claims → certificate identity.
 */
import { toConfigurationIssuers } from '../ca/configuration.ts';
import { identityFromToken } from '../ca/identity.ts';
import { defaultIssuerConfig, parseIssuerConfig, type IssuerConfig } from '../ca/issuer-config.ts';
import { createTokenVerifier } from '../adapters/oidc/index.ts';
import type { CaIdentitySide } from './ca.ts';
import { loadIssuerConfig } from './issuer-config-file.ts';
import { OIDC_BASE_PATH } from './oidc.ts';
import type { ServiceContext } from './service.ts';

/** Both configurations as one: entries of `first` win. */
function mergeConfigs(first: IssuerConfig, second: IssuerConfig): IssuerConfig {
  return Object.freeze({
    oidcIssuers: new Map([...second.oidcIssuers, ...first.oidcIssuers]),
    metaIssuers: new Map([...second.metaIssuers, ...first.metaIssuers]),
    ciMetadata: new Map([...second.ciMetadata, ...first.ciMetadata]),
    findIssuer: (url: string) => first.findIssuer(url) ?? second.findIssuer(url),
  });
}

/**
 * The issuers the CA trusts in `ctx` (none when neither `oidc` runs nor a config file is given).
 * @throws ERR_OIDC_CONFIG_INVALID for an unreadable or malformed file
 */
export function caIssuerConfig(ctx: ServiceContext): IssuerConfig {
  const own = ctx.services.includes('oidc') ? defaultIssuerConfig(`${ctx.publicUrl()}${OIDC_BASE_PATH}`) : undefined;
  const file = ctx.caConfigPath === undefined ? undefined : loadIssuerConfig({ path: ctx.caConfigPath, publicUrl: ctx.publicUrl() });
  if (own && file) return mergeConfigs(file, own);
  return file ?? own ?? parseIssuerConfig({});
}

/**
 * A fetch that reaches sigil's own issuer through the listening address: behind a proxy the
 * public URL may not be reachable from the server itself (no hairpin route, a TLS front end).
 */
function localIssuerFetch(ctx: ServiceContext): typeof globalThis.fetch {
  if (!ctx.services.includes('oidc')) return globalThis.fetch;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const own = `${ctx.publicUrl()}${OIDC_BASE_PATH}/`;
    return globalThis.fetch(url.startsWith(own) ? `${ctx.listenUrl()}${OIDC_BASE_PATH}/${url.slice(own.length)}` : input, init);
  };
}

/** The identity side of the CA for `ctx`: real discovery over fetch, the server's clock. */
export function openCaIdentity(ctx: ServiceContext): CaIdentitySide {
  const config = caIssuerConfig(ctx);
  return {
    verifier: createTokenVerifier({ config, fetch: localIssuerFetch(ctx), clock: ctx.clock }),
    identityOf: (token) => identityFromToken(token, config),
    issuers: toConfigurationIssuers(config).issuers,
  };
}
