/**
 * A client of an OIDC issuer's endpoints over injected fetch: discovery, and token and device
 * requests (form posts) whose OAuth errors (RFC 6749 §5.2, RFC 8628 §3.5) become our codes.
 */
import type { HttpFetch, HttpResponse } from '../http-clients/fetch.ts';
import { AppError, AuthError, InputError, UpstreamError, type ErrorCode } from '../../core/index.ts';

/** The discovery fields a client uses. */
export interface IssuerEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint: string;
  readonly deviceAuthorizationEndpoint?: string;
}

/** How to reach the issuer. */
export interface IssuerClientOptions {
  readonly fetch: HttpFetch;
  readonly timeoutMs?: number;
}

const OAUTH_ERRORS: Readonly<Record<string, ErrorCode>> = {
  invalid_client: 'ERR_OIDC_CLIENT_UNAUTHORIZED',
  unauthorized_client: 'ERR_OIDC_CLIENT_UNAUTHORIZED',
  invalid_grant: 'ERR_OIDC_GRANT_INVALID',
  unsupported_grant_type: 'ERR_OIDC_GRANT_UNSUPPORTED',
  authorization_pending: 'ERR_OIDC_AUTHORIZATION_PENDING',
  slow_down: 'ERR_OIDC_SLOW_DOWN',
  expired_token: 'ERR_OIDC_DEVICE_CODE_EXPIRED',
  access_denied: 'ERR_OIDC_ACCESS_DENIED',
  invalid_request: 'ERR_OIDC_REQUEST_INVALID',
  invalid_scope: 'ERR_OIDC_REQUEST_INVALID',
};

async function call(options: IssuerClientOptions, url: string, init: RequestInit): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  let res: HttpResponse;
  try {
    res = await options.fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (cause) {
    throw new UpstreamError('ERR_NETWORK', `cannot reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  return { status: res.status, json: obj };
}

function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration`.
 * @throws ERR_OIDC_DISCOVERY when it is missing, malformed, or names another issuer; ERR_NETWORK
 */
export async function discoverIssuer(options: IssuerClientOptions, issuer: string): Promise<IssuerEndpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const { status, json } = await call(options, url, { headers: { accept: 'application/json' } });
  if (status !== 200 || json === undefined) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document ${url} answered HTTP ${status}${json === undefined ? ' without json' : ''}`);
  const tokenEndpoint = str(json, 'token_endpoint');
  if (str(json, 'issuer') === undefined || tokenEndpoint === undefined) throw new UpstreamError('ERR_OIDC_DISCOVERY', `the discovery document ${url} has no issuer or token_endpoint`);
  const auth = str(json, 'authorization_endpoint');
  const device = str(json, 'device_authorization_endpoint');
  return {
    issuer: str(json, 'issuer') ?? issuer, tokenEndpoint,
    ...(auth === undefined ? {} : { authorizationEndpoint: auth }), ...(device === undefined ? {} : { deviceAuthorizationEndpoint: device }),
  };
}

/** Client credentials for HTTP Basic (RFC 6749 §2.3.1 form-encodes both parts). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/**
 * Posts a form to an OAuth endpoint and returns the JSON answer.
 * @throws the ERR_OIDC_* code of an OAuth error answer; ERR_HTTP_STATUS for other failures
 */
export async function postForm(options: IssuerClientOptions, url: string, form: Readonly<Record<string, string>>, authorization?: string): Promise<Record<string, unknown>> {
  const { status, json } = await call(options, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: new URLSearchParams(form).toString(),
  });
  if (status === 200 && json !== undefined) return json;
  const oauthError = json === undefined ? undefined : str(json, 'error');
  const description = json === undefined ? undefined : str(json, 'error_description');
  const code = oauthError === undefined ? undefined : OAUTH_ERRORS[oauthError];
  const message = `${url} answered ${oauthError ?? `HTTP ${status}`}${description === undefined ? '' : `: ${description}`}`;
  if (code === undefined) throw new UpstreamError('ERR_HTTP_STATUS', message);
  // rebuild under our own code (kind from the catalogue) without trusting the server's text further
  throw code === 'ERR_OIDC_AUTHORIZATION_PENDING' || code === 'ERR_OIDC_SLOW_DOWN' || code === 'ERR_OIDC_REQUEST_INVALID' || code === 'ERR_OIDC_GRANT_UNSUPPORTED'
    ? new InputError(code, message)
    : code === 'ERR_OIDC_CLIENT_UNAUTHORIZED' || code === 'ERR_OIDC_GRANT_INVALID' || code === 'ERR_OIDC_DEVICE_CODE_EXPIRED' || code === 'ERR_OIDC_ACCESS_DENIED'
      ? new AuthError(code, message)
      : new AppError(code, message);
}

/** The `id_token` of a token response (falling back to `access_token`, as some issuers answer). */
export function idTokenOf(answer: Record<string, unknown>, url: string): string {
  const token = str(answer, 'id_token') ?? str(answer, 'access_token');
  if (token === undefined) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${url} answered no id_token`);
  return token;
}
