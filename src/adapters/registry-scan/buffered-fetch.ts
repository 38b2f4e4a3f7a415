/**
 * A fetch for the registry scanner: undici's `request` over one keep-alive Agent (redirects
 * followed), with every body read whole before the response is handed back. The scanner only
 * reads small bodies (manifests, listings, signature blobs, all capped), so buffering them is
 * cheap, and capping them here keeps a hostile registry from exhausting memory. The response is
 * the clients' narrow HttpResponse, not a WHATWG Response: building a Response, its Headers and
 * its ReadableStream for every request cost the scanner more CPU than the requests themselves.
 */
import { InputError } from '../../core/index.ts';
import type { HttpBody, HttpFetch, HttpResponse } from '../http-clients/fetch.ts';
import { redirectRequest } from '../http-clients/redirect.ts';

/** Options of the scanner's fetch. */
export interface BufferedFetchOptions {
  /** bodies larger than this fail the request (the scanner's own caps are lower) */
  readonly maxBodyBytes: number;
  /** connections kept per origin (match the scan's concurrency) */
  readonly connections: number;
  /** accept any TLS certificate (--allow-insecure-registry) */
  readonly insecure: boolean;
}

type Undici = typeof import('undici');
type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * Request headers as a plain record: the clients pass one; a Headers or a list of pairs is
 * copied. Told apart by shape, not `instanceof Headers`: naming the global loads Node's bundled
 * undici, a cost paid by every scan for nothing.
 */
function toHeaderRecord(init: RequestInit['headers']): Record<string, string> {
  if (init === undefined) return {};
  const out: Record<string, string> = {};
  const pairs: Iterable<readonly [string, string | undefined]> = Symbol.iterator in init ? (init as Iterable<[string, string]>) : Object.entries(init);
  for (const [key, value] of pairs) if (value !== undefined) out[String(key).toLowerCase()] = String(value);
  return out;
}

type BodyStream = import('node:stream').Readable;

// Events, not `for await`: an async iterator per response was the largest single cost in profiles.
function readCapped(body: BodyStream, maxBytes: number, url: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        body.destroy();
        reject(new InputError('ERR_HTTP_BODY_TOO_LARGE', `${url} answered a body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    body.once('error', reject);
  });
}

/** A body already in memory: one chunk (none when empty); cancelling has nothing to free. */
function bufferedBody(bytes: Uint8Array): HttpBody {
  return {
    [Symbol.asyncIterator]() {
      let done = bytes.byteLength === 0;
      return {
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          if (done) return { done: true, value: undefined };
          done = true;
          return { done: false, value: bytes };
        },
      };
    },
    cancel: async () => undefined,
  };
}

/** Response headers: undici hands them lowercased; repeated ones are joined with ", " as fetch does. */
function headerGetter(raw: RawHeaders): HttpResponse['headers'] {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

// fatal: false and BOM stripped, as fetch's text() decodes
const UTF8 = new TextDecoder('utf-8');

function toResponse(url: string, method: string, status: number, raw: RawHeaders, bytes: Uint8Array): HttpResponse {
  const empty = method === 'HEAD' || status === 204 || status === 304;
  return {
    status, ok: status >= 200 && status <= 299, url,
    headers: headerGetter(raw),
    body: empty ? null : bufferedBody(bytes),
    text: async () => (empty ? '' : UTF8.decode(bytes)),
  };
}

const MAX_REDIRECTS = 5;

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** One request as sent: what a redirect may rewrite. */
interface Outgoing { readonly url: string; readonly method: string; readonly headers: Record<string, string>; readonly body: Uint8Array | string | undefined }

/** The request a redirect leads to (credentials stay on their origin). */
function redirected(from: Outgoing, status: number, location: string): Outgoing {
  const next = new URL(location, from.url);
  return { url: next.href, ...redirectRequest(from, status, new URL(from.url), next) };
}

/**
 * Creates the fetch; undici is loaded on first use. Redirects are followed here (at most 5, as
 * before), not by undici's redirect interceptor, whose per-request wrapping cost more than the
 * rest of the dispatch; `redirect: 'manual'` hands a 3xx back. Network failures reject with
 * undici's error (the registry transport maps it, as it maps global fetch's).
 * @throws ERR_HTTP_BODY_TOO_LARGE when a body exceeds maxBodyBytes
 */
export function createBufferedFetch(options: BufferedFetchOptions): HttpFetch {
  let loaded: Promise<{ undici: Undici; dispatcher: import('undici').Dispatcher }> | undefined;
  const load = async () => {
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ connections: options.connections, keepAliveTimeout: 30_000, ...(options.insecure ? { connect: { rejectUnauthorized: false } } : {}) });
    return { undici, dispatcher };
  };
  return async (url, init) => {
    const { undici, dispatcher } = await (loaded ??= load());
    let outgoing: Outgoing = { url, method: init?.method ?? 'GET', headers: toHeaderRecord(init?.headers), body: (init?.body ?? undefined) as Uint8Array | string | undefined };
    for (let hops = 0; ; hops += 1) {
      const res = await undici.request(outgoing.url, {
        method: outgoing.method as 'GET', headers: outgoing.headers, dispatcher,
        ...(outgoing.body === undefined ? {} : { body: outgoing.body }), ...(init?.signal ? { signal: init.signal } : {}),
      });
      const bytes = await readCapped(res.body, options.maxBodyBytes, outgoing.url);
      const location = res.headers['location'];
      if (!isRedirect(res.statusCode) || typeof location !== 'string' || init?.redirect === 'manual') {
        return toResponse(outgoing.url, outgoing.method, res.statusCode, res.headers, bytes);
      }
      if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`) });
      outgoing = redirected(outgoing, res.statusCode, location);
    }
  };
}
