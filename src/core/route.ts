/**
 * Framework-free route data: registry, tlog (and later ca) export `Route[]` built from these
 * types, and http/serve.ts adapts node:http to them. They live in core so that every service
 * folder can use them without importing http.
 */

/** Which error body shape a route answers with. */
export type ErrorDialect = 'oci' | 'rekor' | 'fulcio' | 'oauth' | 'plain';

/** An incoming request, as a route sees it. */
export interface HttpRequest {
  readonly method: string;
  /** the decoded path without query string */
  readonly path: string;
  readonly query: URLSearchParams;
  /** lower-case header names */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** named groups of the route pattern */
  readonly params: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * True when every chunk of `body` is a buffer of its own that nothing else holds (node:http's
   * parser copies each chunk of a request body): the route may give the chunks away, to be freed
   * as soon as they are used (UploadContent.append) rather than at a later garbage collection.
   */
  readonly bodyChunksOwned?: boolean;
  readonly signal: AbortSignal;
  /** the URL this server is known by, without trailing slash */
  readonly baseUrl: string;
}

/**
 * A route's answer. Strings are sent as UTF-8. A streamed body's chunk may be reused by its
 * producer once the next chunk is requested: the adapter writes each chunk out first.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string | AsyncIterable<Uint8Array>;
}

/** One route: a method set, a path pattern with named groups, and a handler. */
export interface Route {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
  readonly dialect: ErrorDialect;
  handle(req: HttpRequest): Promise<HttpResponse>;
}
