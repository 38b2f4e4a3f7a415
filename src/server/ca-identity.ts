/**
 * The CA's identity side, composed: which issuers it trusts (sigil's own issuer at
 * `<public-url>/oidc` when the `oidc` service runs, plus a Fulcio-shaped `--ca-config` file),
 * the token verifier over real discovery and JWKS, and claims → certificate identity.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/index.ts';
import { defaultIssuerConfig, parseIssuerConfig, type IssuerConfig } from '../ca/issuer-config.ts';
import { identityFromToken } from '../ca/identity.ts';
import type { ConfiguredIssuer, IssuerEntry } from '../ca/index.ts';
import { createTokenVerifier } from '../adapters/oidc/index.ts';
import type { CaIdentitySide } from './ca.ts';
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

function readConfigFile(path: string): IssuerConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `the CA issuer configuration ${path} is not a readable json file`, { cause });
  }
  return parseIssuerConfig(json);
}

function describe(entry: IssuerEntry, wildcard: boolean): ConfiguredIssuer {
  return {
    ...(wildcard ? { wildcardIssuerUrl: entry.issuerUrl } : { issuerUrl: entry.issuerUrl }),
    audience: entry.clientId,
    challengeClaim: entry.challengeClaim ?? (entry.type === 'email' ? 'email' : 'sub'),
    issuerType: entry.type,
    ...(entry.spiffeTrustDomain === undefined ? {} : { spiffeTrustDomain: entry.spiffeTrustDomain }),
    ...(entry.subjectDomain === undefined ? {} : { subjectDomain: entry.subjectDomain }),
  };
}

/**
 * The issuers the CA trusts in `ctx` (none when neither `oidc` runs nor a config file is given).
 * @throws ERR_CONFIG_INVALID for an unreadable file, ERR_OIDC_CONFIG_INVALID for a malformed one
 */
export function loadIssuerConfig(ctx: ServiceContext): IssuerConfig {
  const own = ctx.services.includes('oidc') ? defaultIssuerConfig(`${ctx.publicUrl()}/oidc`) : undefined;
  const file = ctx.caConfigPath === undefined ? undefined : readConfigFile(ctx.caConfigPath);
  if (own && file) return mergeConfigs(file, own);
  return file ?? own ?? parseIssuerConfig({});
}

/** The identity side of the CA for `ctx`: real discovery over fetch, the server's clock. */
export function openCaIdentity(ctx: ServiceContext): CaIdentitySide {
  const config = loadIssuerConfig(ctx);
  return {
    verifier: createTokenVerifier({ config, fetch: globalThis.fetch, clock: ctx.clock }),
    identityOf: (token) => identityFromToken(token, config),
    issuers: [
      ...[...config.oidcIssuers.values()].map((e) => describe(e, false)),
      ...[...config.metaIssuers.values()].map((e) => describe(e, true)),
    ],
  };
}
