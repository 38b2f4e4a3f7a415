/** The fetch standard's HTTP-redirect fetch, as both of sigil's fetch adapters follow redirects. */

/** A request's method, headers and body: what a redirect may rewrite. */
export interface RedirectableRequest<B> {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: B | undefined;
}

const BODY_HEADERS = ['content-length', 'content-type', 'content-encoding', 'content-language', 'content-location'];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * The request a `status` redirect from `from` to `to` leads to: a POST after 301/302, or anything
 * but GET/HEAD after 303, becomes a bodiless GET; credentials stay on their origin.
 */
export function redirectRequest<B>(request: RedirectableRequest<B>, status: number, from: URL, to: URL): { method: string; headers: Record<string, string>; body: B | undefined } {
  const headers = { ...request.headers };
  let { method, body } = request;
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (to.origin !== from.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  return { method, headers, body };
}
