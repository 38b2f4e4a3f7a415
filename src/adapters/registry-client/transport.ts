/**
 * One registry request, done right: scheme choice, auth (answering a 401 once), a timeout per
 * attempt, retries with backoff on network errors, 429 and 5xx, and status -> error mapping.
 */
import { isAppError, type AppError } from '../../core/index.ts';
import {
  DEFAULT_RETRY_POLICY, isRetryableStatus, parseAuthChallenge, parseRetryAfter, retryDelayMs, type RetryPolicy,
} from '../../oci/index.ts';
import type { Authenticator } from './auth.ts';
import { isTransientNetworkError, toFetchError, toStatusError, type NotFoundCode } from './errors.ts';
import { isLoopbackRegistry, registryApiHost, resolveUrl } from './urls.ts';
import type { RegistryClientDeps } from './types.ts';
import type { HttpFetch, HttpResponse } from '../http-clients/fetch.ts';

/** One request to a registry. */
export interface RegistryRequest {
  readonly registry: string;
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** `/v2/...` (resolved against the registry) or an absolute URL the registry gave */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** always replayable: request bodies are buffered (uploads chunk big blobs) */
  readonly body?: Uint8Array;
  /** token scopes, e.g. `repository:a/b:pull` */
  readonly scopes: readonly string[];
  /** statuses handed back instead of thrown (e.g. 404 for an existence check) */
  readonly accept?: readonly number[];
  readonly notFound: NotFoundCode;
  /** retry this request on its own (false for PATCH: its offset state lives on the server) */
  readonly retry?: boolean;
  /** when given, no per-attempt timeout is added: the caller aborts (idle timeouts of streams) */
  readonly signal?: AbortSignal;
}

/** A response the caller reads, and the URL it came from (to resolve Location and Link). */
export interface RegistryResponse {
  readonly response: HttpResponse;
  readonly url: string;
}

/** Sends registry requests. */
export type Transport = (request: RegistryRequest) => Promise<RegistryResponse>;

/** Creates the transport of one client (its scheme cache lives in it, not in a module). */
export function createTransport(deps: RegistryClientDeps, auth: Authenticator): Transport {
  const transport = new RegistryTransport(deps, auth);
  return (request) => transport.send(request);
}

class RegistryTransport {
  readonly #deps: RegistryClientDeps;
  readonly #auth: Authenticator;
  readonly #policy: RetryPolicy;
  readonly #schemes = new Map<string, Promise<string>>();

  constructor(deps: RegistryClientDeps, auth: Authenticator) {
    this.#deps = deps;
    this.#auth = auth;
    this.#policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  }

  /** Sends with auth; answers a 401 challenge once; maps what is not ok (or accepted) to an error. */
  async send(request: RegistryRequest): Promise<RegistryResponse> {
    const url = resolveUrl(request.path, await this.#baseUrl(request.registry));
    let response = await this.#withRetries(request, url, await this.#auth.headerFor(request.registry, request.scopes));
    if (response.status === 401) {
      const challenge = parseAuthChallenge(response.headers.get('www-authenticate'));
      await response.body?.cancel().catch(() => undefined);
      response = await this.#withRetries(request, url, await this.#auth.answer(request.registry, challenge, request.scopes));
    }
    if (response.ok || request.accept?.includes(response.status)) return { response, url: response.url || url };
    const text = request.method === 'HEAD' ? '' : await response.text().catch(() => '');
    throw toStatusError(request.method, url, response.status, text, request.notFound);
  }

  #fetchFor = (url: string): HttpFetch =>
    this.#deps.allowInsecure && this.#deps.insecureFetch && url.startsWith('https:') ? this.#deps.insecureFetch : this.#deps.fetch;

  #baseUrl(registry: string): Promise<string> {
    let found = this.#schemes.get(registry);
    if (!found) { found = chooseBase(this.#deps, registry, this.#fetchFor); this.#schemes.set(registry, found); }
    return found;
  }

  async #attempt(request: RegistryRequest, url: string, authorization: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...request.headers };
    if (authorization) headers['authorization'] = authorization;
    const init: RequestInit = { method: request.method, headers, redirect: 'follow', signal: request.signal ?? AbortSignal.timeout(this.#deps.timeoutMs) };
    if (request.body) init.body = request.body;
    try {
      return await this.#fetchFor(url)(url, init);
    } catch (error) {
      throw toFetchError(request.method, url, error);
    }
  }

  /** Retries transient network errors and retryable statuses; hands back the last response. */
  async #withRetries(request: RegistryRequest, url: string, authorization: string | undefined): Promise<HttpResponse> {
    for (let failures = 1; ; failures += 1) {
      let response: HttpResponse | undefined;
      let failure: AppError | undefined;
      try { response = await this.#attempt(request, url, authorization); } catch (error) {
        if (!isAppError(error) || !isTransientNetworkError(error)) throw error;
        failure = error;
      }
      if (response && !isRetryableStatus(response.status)) return response;
      const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after'), this.#deps.now().getTime()) : undefined;
      const delay = request.retry === false ? undefined : retryDelayMs(this.#policy, failures, retryAfter, this.#deps.jitter());
      if (delay === undefined) {
        if (response) return response;
        throw failure;
      }
      await response?.body?.cancel().catch(() => undefined);
      await this.#deps.sleep(delay);
    }
  }
}

/**
 * Decides `https://host` or `http://host`, as go-containerregistry does: HTTPS only, except for
 * loopback registries and with allowInsecure or allowHttp, where HTTPS is tried first (unverified with
 * allowInsecure) and plain HTTP used when HTTPS cannot connect. A certificate that fails
 * verification is reported rather than silently downgraded.
 */
async function chooseBase(deps: RegistryClientDeps, registry: string, fetchFor: (url: string) => HttpFetch): Promise<string> {
  const host = registryApiHost(registry);
  const https = `https://${host}`;
  if (!deps.allowInsecure && !deps.allowHttp && !isLoopbackRegistry(registry)) return https;
  if (hasExplicitPort(registry) && isLoopbackRegistry(registry) && (await speaksPlainRegistry(deps, host))) return `http://${host}`;
  try {
    const response = await fetchFor(https)(`${https}/v2/`, { method: 'GET', signal: AbortSignal.timeout(deps.timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    return https;
  } catch (error) {
    const mapped = toFetchError('GET', `${https}/v2/`, error);
    if (mapped.details?.['tls'] === 'certificate') throw mapped;
    return `http://${host}`;
  }
}

function hasExplicitPort(registry: string): boolean {
  return /:\d+$/.test(registry);
}

/**
 * True when a loopback host:port answers a plain-HTTP `GET /v2/` as a registry does (200, or
 * 401 with a challenge). One port cannot also complete a TLS handshake, so HTTPS-first would
 * have chosen plain HTTP too; asking this way spares a TLS attempt (and loading TLS) per run.
 * A TLS port answers plaintext with an error or a 400, and the HTTPS-first decision then runs.
 */
async function speaksPlainRegistry(deps: RegistryClientDeps, host: string): Promise<boolean> {
  try {
    const response = await deps.fetch(`http://${host}/v2/`, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(deps.timeoutMs) });
    // read, not cancelled: the connection then serves the requests that follow
    await response.text();
    return response.status === 200 || (response.status === 401 && response.headers.get('www-authenticate') !== null);
  } catch {
    return false;
  }
}

/** A response body as an async iterable of byte chunks (empty when there is none). */
export async function* responseBody(response: HttpResponse): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  for await (const chunk of response.body) yield chunk;
}
