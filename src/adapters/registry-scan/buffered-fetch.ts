/**
 * A fetch for the registry scanner: undici's `request` over one keep-alive Agent (redirects
 * followed), with every body read whole before the Response is handed back. Node's global fetch
 * spends most of a scan's CPU in its WHATWG stream machinery; the scanner only reads small bodies
 * (manifests, listings, signature blobs, all capped), so buffering them is cheaper, and capping
 * them here keeps a hostile registry from exhausting memory.
 */
import { InputError } from '../../core/index.ts';

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

function toHeaderRecord(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((value, key) => { out[key] = value; });
  return out;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.append(key, value);
  }
  return headers;
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

/** Creates the fetch; undici is loaded on first use. */
export function createBufferedFetch(options: BufferedFetchOptions): typeof globalThis.fetch {
  let loaded: Promise<{ undici: Undici; dispatcher: import('undici').Dispatcher }> | undefined;
  const load = async () => {
    const undici = await import('undici');
    const agent = new undici.Agent({ connections: options.connections, keepAliveTimeout: 30_000, ...(options.insecure ? { connect: { rejectUnauthorized: false } } : {}) });
    return { undici, dispatcher: agent.compose(undici.interceptors.redirect({ maxRedirections: 5 })) };
  };
  return async (input, init) => {
    const { undici, dispatcher } = await (loaded ??= load());
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const body = init?.body as Uint8Array | string | undefined;
    const res = await undici.request(url, {
      method: method as 'GET', headers: toHeaderRecord(init?.headers), dispatcher,
      ...(body === undefined || body === null ? {} : { body }), ...(init?.signal ? { signal: init.signal } : {}),
    });
    const bytes = await readCapped(res.body, options.maxBodyBytes, url);
    const empty = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
    return new Response(empty ? null : bytes, { status: res.statusCode, headers: toHeaders(res.headers) });
  };
}
