/**
 * The part of WHATWG fetch the HTTP clients use, as a port: global fetch satisfies it, and so
 * does createNodeFetch (node:http without undici, which costs tens of ms to load in a CLI run).
 */

/** A response body: read once as byte chunks, or cancelled to free the connection. */
export interface HttpBody extends AsyncIterable<Uint8Array> {
  cancel(reason?: unknown): Promise<void>;
}

/** The response fields the clients read. */
export interface HttpResponse {
  readonly status: number;
  /** status in 200..299 */
  readonly ok: boolean;
  /** the URL answered last, after redirects */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** null for HEAD and for statuses without a body */
  readonly body: HttpBody | null;
  /** the whole body decoded as UTF-8 */
  text(): Promise<string>;
}

/** fetch(url, init) restricted to string URLs; the clients pass plain-record headers and byte or string bodies. */
export type HttpFetch = (url: string, init?: RequestInit) => Promise<HttpResponse>;
