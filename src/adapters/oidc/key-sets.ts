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

async function getJson(fetch: typeof globalThis.fetch, timeoutMs: number, url: string, what: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
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
}

class Cache implements KeySetCache {
  readonly #options: KeySetCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();

  constructor(options: KeySetCacheOptions) {
    this.#options = options;
  }

  #now(): number {
    return this.#options.clock().getTime();
  }

  #get(url: string, what: string): Promise<Record<string, unknown>> {
    return getJson(this.#options.fetch, this.#options.timeoutMs ?? 10_000, url, what);
  }

  async #jwksUri(issuer: string): Promise<string> {
    // OpenID Connect Discovery 1.0 §4: <issuer>/.well-known/openid-configuration, and §4.3:
    // the document's issuer must be exactly the token's
    const discovery = await this.#get(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, 'discovery document');
    if (discovery['issuer'] !== issuer) {
      throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document of ${issuer} names another issuer: ${JSON.stringify(discovery['issuer'])}`);
    }
    const uri = discovery['jwks_uri'];
    if (typeof uri !== 'string' || !/^https?:\/\//.test(uri)) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document of ${issuer} has no http(s) jwks_uri`);
    return uri;
  }

  async #load(issuer: string, known: Entry | undefined): Promise<Entry> {
    const jwksUri = known?.jwksUri ?? await this.#jwksUri(issuer);
    const doc = await this.#get(jwksUri, 'key set');
    const keys = doc['keys'];
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null)) {
      throw new UpstreamError('ERR_OIDC_DISCOVERY', `the key set ${jwksUri} has no keys array`);
    }
    const entry: Entry = { jwksUri, jwks: { keys: keys as Record<string, unknown>[] }, fetchedAtMs: this.#now() };
    this.#entries.delete(issuer);
    this.#entries.set(issuer, entry);
    while (this.#entries.size > (this.#options.maxIssuers ?? 100)) this.#entries.delete(this.#entries.keys().next().value ?? '');
    return entry;
  }

  // one fetch at a time per issuer: concurrent requests share it
  #loadOnce(issuer: string, known: Entry | undefined): Promise<Entry> {
    const running = this.#inflight.get(issuer);
    if (running !== undefined) return running;
    const p = this.#load(issuer, known).finally(() => this.#inflight.delete(issuer));
    this.#inflight.set(issuer, p);
    return p;
  }

  async keys(issuer: string): Promise<JwksDocument> {
    const entry = this.#entries.get(issuer);
    if (entry !== undefined && this.#now() - entry.fetchedAtMs < (this.#options.maxAgeMs ?? 3_600_000)) return entry.jwks;
    return (await this.#loadOnce(issuer, entry)).jwks;
  }

  async refresh(issuer: string): Promise<boolean> {
    const entry = this.#entries.get(issuer);
    if (entry !== undefined && this.#now() - entry.fetchedAtMs < (this.#options.minRefetchIntervalMs ?? 10_000)) return false;
    await this.#loadOnce(issuer, entry);
    return true;
  }
}

/** Creates the cache. */
export function createKeySetCache(options: KeySetCacheOptions): KeySetCache {
  return new Cache(options);
}
