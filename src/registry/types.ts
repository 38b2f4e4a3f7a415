/**
 * The request and response shapes registry routes use: plain data, structurally the same as
 * http/types.ts, so the registry imports no HTTP framework (STYLE.md §5).
 */

/** An incoming request, as a registry route sees it. */
export interface RegistryRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** lower-case header names */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly params: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
  readonly signal: AbortSignal;
  readonly baseUrl: string;
}

/** A registry answer. */
export interface RegistryResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string | AsyncIterable<Uint8Array>;
}

/** One registry route: methods, a path pattern with named groups, a handler. */
export interface RegistryRoute {
  readonly methods: readonly string[];
  readonly pattern: RegExp;
  readonly dialect: 'oci';
  handle(req: RegistryRequest): Promise<RegistryResponse>;
}

/** The header every /v2 response carries (distribution-spec, "API Version Check"). */
export const API_VERSION_HEADER = { 'docker-distribution-api-version': 'registry/2.0' } as const;
