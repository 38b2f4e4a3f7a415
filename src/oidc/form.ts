/**
 * Request helpers of the issuer routes: form bodies (application/x-www-form-urlencoded, as
 * OAuth 2.0 token and device requests are sent), HTTP Basic client credentials, and answers.
 */
import { collectBytes, decodeBase64, decodeUtf8, InputError, type HttpRequest, type HttpResponse } from '../core/index.ts';

const MAX_FORM_BYTES = 64 * 1024;

/**
 * Reads a urlencoded form body (or the query string for GET).
 * @throws ERR_HTTP_BODY_TOO_LARGE, ERR_OIDC_REQUEST_INVALID for another content type
 */
export async function readForm(req: HttpRequest): Promise<URLSearchParams> {
  if (req.method === 'GET') return req.query;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InputError('ERR_OIDC_REQUEST_INVALID', 'the request body must be application/x-www-form-urlencoded', { details: { oauthError: 'invalid_request' } });
  }
  const bytes = await collectBytes(req.body, MAX_FORM_BYTES, (n) => new InputError('ERR_HTTP_BODY_TOO_LARGE', `the form is larger than ${n} bytes`));
  return new URLSearchParams(decodeUtf8(bytes));
}

/** Client credentials of HTTP Basic (RFC 6749 §2.3.1: both parts form-urlencoded) or the form. */
export function clientCredentials(req: HttpRequest, form: URLSearchParams): { clientId?: string; clientSecret?: string } {
  const auth = req.headers['authorization'];
  const m = auth === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (m) {
    const text = decodeUtf8(decodeBase64(m[1] ?? ''));
    const colon = text.indexOf(':');
    if (colon > 0) {
      const decode = (s: string): string => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
      return { clientId: decode(text.slice(0, colon)), clientSecret: decode(text.slice(colon + 1)) };
    }
  }
  const clientId = form.get('client_id') ?? undefined;
  const clientSecret = form.get('client_secret') ?? undefined;
  return { ...(clientId === undefined ? {} : { clientId }), ...(clientSecret === undefined ? {} : { clientSecret }) };
}

/** A required form parameter. @throws ERR_OIDC_REQUEST_INVALID */
export function param(form: URLSearchParams, name: string, pattern = /^[\x20-\x7e]{1,2048}$/): string {
  const v = form.get(name);
  if (v === null || !pattern.test(v)) throw new InputError('ERR_OIDC_REQUEST_INVALID', `parameter ${name} is ${v === null ? 'missing' : 'malformed'}`, { details: { oauthError: 'invalid_request' } });
  return v;
}

/** A JSON answer that must not be cached (RFC 6749 §5.1). */
export function jsonNoStore(status: number, value: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }, body: JSON.stringify(value) };
}

/** An HTML page. */
export function html(status: number, body: string): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:* http://[::1]:*" },
    body,
  };
}
