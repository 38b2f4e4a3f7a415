/**
 * An HttpFetch over node:http (and node:https, loaded on the first https URL) with keep-alive
 * connections. The CLI uses it instead of global fetch because undici, which global fetch loads
 * on first use, costs a short-lived CLI process more CPU than the whole of its registry work.
 * It keeps fetch's observable behaviour for what the clients use: redirects followed (at most 20,
 * Authorization dropped across origins, 301/302 POST and 303 turned into GET), rejection with
 * the signal's reason on abort (also while the body is read), TypeError('fetch failed', { cause })
 * on network errors, duplicate response headers joined with ", ", UTF-8 text() without a BOM.
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { HttpBody, HttpFetch, HttpResponse } from './fetch.ts';
import { redirectRequest } from './redirect.ts';

/** Options of createNodeFetch. */
export interface NodeFetchOptions {
  /** verify TLS certificates (default true); false only for --allow-insecure-registry */
  readonly rejectUnauthorized?: boolean;
  /** the CA certificates (PEM) to trust instead of the system's (--registry-cacert) */
  readonly ca?: string;
  /** a client certificate and its key (PEM) for mutual TLS (--registry-client-cert/-key) */
  readonly cert?: string;
  readonly key?: string;
  /** the name the server's certificate must carry, and the SNI sent (--registry-server-name) */
  readonly servername?: string;
}

type RequestFn = (url: URL, options: RequestOptions) => ClientRequest;
interface Transport { readonly request: RequestFn; readonly agent: RequestOptions['agent'] }

/** One request as sent: what a redirect may rewrite. */
interface Outgoing { readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body: Uint8Array | undefined }

const MAX_REDIRECTS = 20;

/** Creates a fetch with its own keep-alive agents (idle sockets never keep the process alive). */
export function createNodeFetch(options: NodeFetchOptions = {}): HttpFetch {
  // getBuiltinModule, not `import`: an ES module namespace of node:http evaluates its lazy
  // getters (WebSocket, ...), which loads undici and costs as much as we set out to save
  const http = process.getBuiltinModule('node:http');
  const plain: Transport = { request: http.request, agent: new http.Agent({ keepAlive: true }) };
  let secure: Promise<Transport> | undefined;
  const transportFor = async (url: URL): Promise<Transport> => {
    if (url.protocol === 'http:') return plain;
    if (url.protocol === 'https:') return (secure ??= loadHttps(options));
    throw new TypeError('fetch failed', { cause: new Error(`unsupported url scheme ${url.protocol}`) });
  };
  return async (url, init = {}) => {
    let current = new URL(url);
    let outgoing = toOutgoing(init);
    for (let hops = 0; ; hops += 1) {
      const res = await exchange(await transportFor(current), current, outgoing, init.signal ?? undefined);
      const location = res.headers.location;
      if (!isRedirect(res.statusCode ?? 0) || location === undefined || init.redirect === 'manual') {
        const response = createResponse(res, current.href, outgoing.method, init.signal ?? undefined);
        // a body-less response frees its connection once ended: then the next request reuses it
        if (response.body === null) await ended(res);
        return response;
      }
      res.resume();
      if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${location}`) });
      if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const next = new URL(location, current);
      outgoing = redirectRequest(outgoing, res.statusCode ?? 0, current, next);
      current = next;
    }
  };
}

async function loadHttps(options: NodeFetchOptions): Promise<Transport> {
  const https = process.getBuiltinModule('node:https');
  const { ca, cert, key, servername } = options;
  const tls = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(servername ? { servername } : {}) };
  return { request: https.request, agent: new https.Agent({ keepAlive: true, rejectUnauthorized: options.rejectUnauthorized ?? true, ...tls }) };
}

function ended(res: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (res.closed) { resolve(); return; }
    for (const event of ['close', 'error']) res.once(event, () => resolve());
  });
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 103 || status === 204 || status === 205 || status === 304;
}

/** Plain-record headers (lowercased), bytes for the body, and fetch's default headers. */
function toOutgoing(init: RequestInit): Outgoing {
  const headers: Record<string, string> = {};
  const given = init.headers ?? {};
  const entries = Array.isArray(given) ? given : typeof (given as { entries?: unknown }).entries === 'function' ? [...(given as Iterable<[string, string]>)] : Object.entries(given);
  for (const [name, value] of entries) headers[String(name).toLowerCase()] = String(value);
  const method = (init.method ?? 'GET').toUpperCase();
  const body = toBodyBytes(init.body, headers);
  headers['accept'] ??= '*/*';
  headers['user-agent'] ??= 'sigil';
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH') headers['content-length'] = '0';
  return { method, headers, body };
}

function toBodyBytes(body: RequestInit['body'], headers: Record<string, string>): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return new TextEncoder().encode(body);
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('only string and byte request bodies are supported');
}

/** Sends one request; resolves at the response head. */
function exchange(transport: Transport, url: URL, outgoing: Outgoing, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const req = transport.request(url, { method: outgoing.method, headers: outgoing.headers, agent: transport.agent });
    const onAbort = (): void => { req.destroy(); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    req.once('response', (res) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(res);
    });
    req.end(outgoing.body);
  });
}

function createResponse(res: IncomingMessage, url: string, method: string, signal: AbortSignal | undefined): HttpResponse {
  const status = res.statusCode ?? 0;
  // errors surface through the body's iterator; without a listener a late one would crash the process
  res.on('error', () => undefined);
  let body: HttpBody | null = null;
  if (method === 'HEAD' || isNullBodyStatus(status)) res.resume();
  else body = createBody(res, signal);
  return {
    status, ok: status >= 200 && status <= 299, url,
    headers: { get: (name) => res.headersDistinct[name.toLowerCase()]?.join(', ') ?? null },
    body,
    async text() {
      if (!body) return '';
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) chunks.push(chunk);
      return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
    },
  };
}

/** The response body; aborting the signal while it is read ends it with the signal's reason. */
function createBody(res: IncomingMessage, signal: AbortSignal | undefined): HttpBody {
  // as with global fetch, a body nobody reads must not keep the process alive (a CLI would hang
  // at exit until the server drops the connection): the socket holds the event loop only while read
  res.socket?.unref();
  const onAbort = (): void => { res.destroy(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  res.once('close', () => signal?.removeEventListener('abort', onAbort));
  let used = false;
  return {
    async *[Symbol.asyncIterator]() {
      if (used) throw new TypeError('body has already been read');
      used = true;
      res.socket?.ref();
      try {
        for await (const chunk of res) {
          const bytes = chunk as Buffer;
          yield new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
      } catch (error) {
        throw signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error });
      }
      if (signal?.aborted) throw signal.reason;
    },
    cancel: async () => { used = true; res.destroy(); },
  };
}
