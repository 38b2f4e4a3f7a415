/**
 * The request and response shapes log routes use: plain data, structurally the same as
 * http/types.ts, so tlog imports no HTTP module (STYLE.md §5); server passes them to http as is.
 */

/** An incoming request, as a log route sees it. */
export interface LogRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** lower-case header names */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly params: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  readonly signal: AbortSignal;
  /** the URL this server is known by, without trailing slash */
  readonly baseUrl: string;
}

/** A log answer. */
export interface LogResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

/** One log route; errors thrown by `handle` are answered in Rekor's `{code, message}` body. */
export interface LogRoute {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
  readonly dialect: 'rekor';
  handle(req: LogRequest): Promise<LogResponse>;
}
