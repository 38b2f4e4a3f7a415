/**
 * Composition root of the CA (`sigil server --only ca`): the CA's keys and chain under
 * `<data>/ca/`, its Certificate Transparency log under `<data>/ct/` (key and SQLite), the
 * per-identity rate limit, and the identity side (token verification, claims → identity). The
 * Fulcio API and the CT API share the server's one port.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/index.ts';
import {
  createCaRoutes, createCaService, createRateLimiter, ROOT_NAME, type CertificateIdentity, type ConfigurationIssuer,
  type TokenVerifier, type VerifiedToken,
} from '../ca/index.ts';
import { createCtRoutes, openCtLog } from '../ct/index.ts';
import { createLogSigner } from '../tlog/index.ts';
import { openSqliteCtStore } from '../adapters/sqlite/ct-store.ts';
import { parseCertificate } from '../verify/index.ts';
import { loadOrCreateCaMaterial } from './ca-material.ts';
import { LOG_KEY_FILE, loadOrCreateLogKey } from './log.ts';
import { openCaIdentity } from './ca-identity.ts';
import { createCaMetrics } from './metrics/ca-metrics.ts';
import type { Service, ServiceContext } from './service.ts';

/** Certificates per identity per minute when `--ca-rate-limit` is not given. */
export const DEFAULT_CA_RATE_LIMIT = 60;

/** The identity side the CA is built with. */
export interface CaIdentitySide {
  readonly verifier: TokenVerifier;
  identityOf(token: VerifiedToken): CertificateIdentity;
  /** what /api/v2/configuration lists */
  readonly issuers: readonly ConfigurationIssuer[];
}

function createdAt(path: string): Date {
  return new Date(Math.floor(statSync(path).mtimeMs / 1000) * 1000);
}

/**
 * Builds the CA service around `identity`.
 * @throws ERR_CONFIG_INVALID for unusable key material or rate limit, ERR_CT_STORAGE when the CT database cannot be opened
 */
export async function createCaServiceWith(ctx: ServiceContext, identity: CaIdentitySide): Promise<Service> {
  const perMinute = ctx.caRateLimitPerMinute ?? DEFAULT_CA_RATE_LIMIT;
  if (!Number.isInteger(perMinute) || perMinute < 0) throw new ConfigError('ERR_CONFIG_INVALID', `the CA rate limit must be a whole number >= 0, not ${perMinute}`);
  const material = loadOrCreateCaMaterial(ctx.dataDir, ctx.clock, ctx.random);
  const ctDir = join(ctx.dataDir, 'ct');
  const ctKey = loadOrCreateLogKey(ctDir);
  const store = openSqliteCtStore(join(ctDir, 'ct.db'), { writerThread: true });
  try {
    const ctSigner = createLogSigner(ctKey.pkcs8Der, ctKey.spkiDer);
    const ct = await openCtLog({ store, signer: ctSigner, roots: [material.rootDer], clock: ctx.clock });
    const chainDer = [material.intermediateDer, material.rootDer];
    const observer = ctx.metrics === undefined ? undefined : createCaMetrics(ctx.metrics, async () => (await ct.latestHead()).treeSize);
    const service = createCaService({
      ...(observer === undefined ? {} : { observer }),
      verifier: identity.verifier,
      identityOf: (t) => identity.identityOf(t),
      issuer: {
        signer: material.intermediate, chainDer, clock: ctx.clock, random: ctx.random,
        logPrecertificate: async (chain) => { const sct = await ct.add(chain, true); return { ...sct, timestampMs: BigInt(sct.timestampMs) }; },
      },
      ...(perMinute > 0 ? { rateLimiter: createRateLimiter(perMinute, ctx.clock) } : {}),
    });
    const publicUrl = ctx.publicUrl();
    ctx.log(`ca: ${identity.issuers.length} trusted issuer(s), ${perMinute > 0 ? `${perMinute} certificates per identity per minute` : 'no rate limit'}, ct tree size ${(await ct.latestHead()).treeSize}`);
    const ctRoutes = createCtRoutes(ct);
    return {
      name: 'ca',
      routes: [...createCaRoutes({ service, issuers: () => identity.issuers, ...(observer === undefined ? {} : { observer }) }), ...ctRoutes],
      routeLabels: new Map(ctRoutes.map((r) => [r, 'ct'])),
      trust: {
        certificateAuthority: { uri: publicUrl, ...ROOT_NAME, chainDer, validFrom: parseCertificate(material.rootDer).notBefore },
        ctlog: { baseUrl: `${publicUrl}/ct`, spkiDer: ctKey.spkiDer, validFrom: createdAt(join(ctDir, LOG_KEY_FILE)) },
        caUrl: publicUrl,
      },
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The `ca` service of `sigil server`: trusts sigil's issuer when `oidc` runs and the issuers of
 * `--ca-config`.
 * @throws ERR_CONFIG_INVALID, ERR_OIDC_CONFIG_INVALID, ERR_CT_STORAGE
 */
export async function createCaServerService(ctx: ServiceContext): Promise<Service> {
  return createCaServiceWith(ctx, openCaIdentity(ctx));
}
