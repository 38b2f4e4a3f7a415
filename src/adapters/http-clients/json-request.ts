/**
 * JSON over HTTP for the Sigstore service clients (Rekor, Fulcio): one attempt with a timeout,
 * retries with backoff on network errors, 429 and 5xx (honouring Retry-After), and the final
 * non-success status handed to the client's own error mapping.
 */
import { UpstreamError, encodeUtf8, isAppError, type AppError, type Sleep } from '../../core/index.ts';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from '../../oci/index.ts';
import { isTransientNetworkError, toFetchError } from '../registry-client/errors.ts';
import type { HttpFetch, HttpResponse } from './fetch.ts';

/** What a JSON service client needs from the world. */
export interface JsonHttpDeps {
  readonly fetch: HttpFetch;
  readonly timeoutMs: number;
  readonly sleep: Sleep;
  readonly now: () => Date;
  /** a number in [0, 1) per call */
  readonly jitter: () => number;
  readonly retryPolicy?: RetryPolicy;
}

/** One request: a JSON body when `body` is given; `accept` lists non-2xx statuses handed back instead of thrown. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
  readonly accept?: readonly number[];
}

async function attempt(deps: JsonHttpDeps, request: JsonRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method: request.method, headers, signal: AbortSignal.timeout(deps.timeoutMs) };
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = encodeUtf8(JSON.stringify(request.body));
  }
  try { return await deps.fetch(request.url, init); } catch (error) { throw toFetchError(request.method, request.url, error); }
}

/**
 * Sends `request`, retrying transient failures; a final non-success status (not in `accept`)
 * becomes `toStatusError(status, bodyText)`.
 */
export async function sendJsonWithRetries(deps: JsonHttpDeps, request: JsonRequest, toStatusError: (status: number, bodyText: string) => AppError): Promise<HttpResponse> {
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  for (let failures = 1; ; failures += 1) {
    let response: HttpResponse | undefined;
    let failure: AppError | undefined;
    try { response = await attempt(deps, request); } catch (error) {
      if (!isAppError(error) || !isTransientNetworkError(error)) throw error;
      failure = error;
    }
    if (response && !isRetryableStatus(response.status)) {
      if (response.ok || request.accept?.includes(response.status)) return response;
      throw toStatusError(response.status, await response.text().catch(() => ''));
    }
    const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after'), deps.now().getTime()) : undefined;
    const delay = retryDelayMs(policy, failures, retryAfter, deps.jitter());
    if (delay === undefined) {
      if (response) throw toStatusError(response.status, await response.text().catch(() => ''));
      throw failure;
    }
    await response?.body?.cancel().catch(() => undefined);
    await deps.sleep(delay);
  }
}

/** Reads a response body as JSON. @throws ERR_HTTP_RESPONSE_INVALID when it is not JSON */
export async function parseJsonBody(response: HttpResponse, where: string): Promise<unknown> {
  const text = await response.text();
  try { return JSON.parse(text) as unknown; } catch (cause) {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${where} answered a body that is not json`, { cause });
  }
}
