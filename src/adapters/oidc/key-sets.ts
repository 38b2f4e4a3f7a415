/**
 * OIDC discovery and JWKS over HTTP, cached per issuer and rotation-aware: a token whose `kid`
 * is not in the cached set triggers one refetch of the JWKS, at most once per
 * `minRefetchIntervalMs` per issuer, so a flood of forged `kid`s cannot hammer the issuer.
 */
import { UpstreamError, type Clock } from '../../core/index.ts';

/** A JSON Web Key Set as published (only `keys` is read). */
export interface JwksDocument {
  readonly keys: readonly Record<string, unknown>[];
}

/** Options of the key-set cache. */
export interface KeySetCacheOptions {
  readonly fetch: typeof globalThis.fetch;
  readonly clock: Clock;
  /** per request (default 10 s, Fulcio's discovery timeout) */
  readonly timeoutMs?: number;
  /** a cached JWKS is fetched again after this long (default 1 h) */
  readonly maxAgeMs?: number;
  /** an unknown `kid` refetches the JWKS at most this often per issuer (default 10 s) */
  readonly minRefetchIntervalMs?: number;
  /** most issuers kept (meta issuers can name many; default 100, oldest dropped first) */
  readonly maxIssuers?: number;
}

/** Cached keys of one issuer. */
interface Entry {
  jwksUri: string;
  jwks: JwksDocument;
  fetchedAtMs: number;
}

const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The JWKS cache; `keys` for the cached set, `refresh` after an unknown `kid`. */
export interface KeySetCache {
  /** The issuer's keys, fetching discovery and JWKS when not cached or stale. */
  keys(issuer: string): Promise<JwksDocument>;
  /** Refetches the JWKS unless it was fetched within the minimum interval; true when it did. */
  refresh(issuer: string): Promise<boolean>;
}

/** Creates the cache. */
export function createKeySetCache(options: KeySetCacheOptions): KeySetCache {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const minRefetchMs = options.minRefetchIntervalMs ?? 10_000;
  const maxIssuers = options.maxIssuers ?? 100;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Entry>>();

  const getJson = async (url: string, what: string): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await options.fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new UpstreamError('ERR_OIDC_DISCOVERY', `cannot fetch the ${what} ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    const text = await res.text();
    if (!res.ok) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the ${what} ${url} answered HTTP ${res.status}`);
    if (text.length > MAX_DOCUMENT_BYTES) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the ${what} ${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    let value: unknown;
    try { value = JSON.parse(text); } catch { value = undefined; }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the ${what} ${url} is not a json object`);
    return value as Record<string, unknown>;
  };

  const fetchJwks = async (jwksUri: string): Promise<JwksDocument> => {
    const doc = await getJson(jwksUri, 'key set');
    const keys = doc['keys'];
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null)) {
      throw new UpstreamError('ERR_OIDC_DISCOVERY', `the key set ${jwksUri} has no keys array`);
    }
    return { keys: keys as Record<string, unknown>[] };
  };

  const load = async (issuer: string, known: Entry | undefined): Promise<Entry> => {
    let jwksUri = known?.jwksUri;
    if (jwksUri === undefined) {
      // OpenID Connect Discovery 1.0 §4: <issuer>/.well-known/openid-configuration, and §4.3:
      // the document's issuer must be exactly the token's
      const discovery = await getJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, 'discovery document');
      if (discovery['issuer'] !== issuer) {
        throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document of ${issuer} names another issuer: ${JSON.stringify(discovery['issuer'])}`);
      }
      const uri = discovery['jwks_uri'];
      if (typeof uri !== 'string' || !/^https?:\/\//.test(uri)) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document of ${issuer} has no http(s) jwks_uri`);
      jwksUri = uri;
    }
    const entry: Entry = { jwksUri, jwks: await fetchJwks(jwksUri), fetchedAtMs: options.clock().getTime() };
    cache.delete(issuer);
    cache.set(issuer, entry);
    while (cache.size > maxIssuers) cache.delete(cache.keys().next().value ?? '');
    return entry;
  };

  // one fetch at a time per issuer: concurrent requests share it
  const loadOnce = (issuer: string, known: Entry | undefined): Promise<Entry> => {
    const running = inflight.get(issuer);
    if (running !== undefined) return running;
    const p = load(issuer, known).finally(() => inflight.delete(issuer));
    inflight.set(issuer, p);
    return p;
  };

  return {
    async keys(issuer) {
      const entry = cache.get(issuer);
      if (entry !== undefined && options.clock().getTime() - entry.fetchedAtMs < maxAgeMs) return entry.jwks;
      return (await loadOnce(issuer, entry)).jwks;
    },
    async refresh(issuer) {
      const entry = cache.get(issuer);
      if (entry !== undefined && options.clock().getTime() - entry.fetchedAtMs < minRefetchMs) return false;
      await loadOnce(issuer, entry);
      return true;
    },
  };
}
