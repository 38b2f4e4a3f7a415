/**
 * The interactive endpoints: the authorization endpoint (RFC 6749 §4.1 with PKCE, RFC 7636;
 * redirect URIs must be loopback, RFC 8252 §7.3) with its login page, and the device
 * authorization endpoint and verification page (RFC 8628).
 */
import { InputError, type HttpRequest, type HttpResponse } from '../core/index.ts';
import type { OidcContext } from './context.ts';
import { ENDPOINTS } from './discovery.ts';
import { html, jsonNoStore, param, readForm } from './form.ts';
import { parseEmail } from './identity-request.ts';
import { devicePage, loginPage, messagePage } from './pages.ts';

const CLIENT_ID = /^[A-Za-z0-9._:/-]{1,200}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const OPTIONAL_TEXT = /^[\x20-\x7e]{0,512}$/;

/** Only loopback http redirects (native apps, RFC 8252 §7.3): a dev issuer must not send codes elsewhere. */
function checkRedirect(uri: string): string {
  let url: URL;
  try { url = new URL(uri); } catch { url = new URL('invalid:'); }
  const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.username === '' && url.hash === '';
  if (!loopback) throw new InputError('ERR_OIDC_REQUEST_INVALID', 'redirect_uri must be a loopback http URL (127.0.0.1, localhost or [::1])', { details: { oauthError: 'invalid_request' } });
  return uri;
}

interface AuthorizeRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly fields: Record<string, string>;
}

function parseAuthorize(form: URLSearchParams): AuthorizeRequest {
  if (param(form, 'response_type') !== 'code') throw new InputError('ERR_OIDC_REQUEST_INVALID', 'response_type must be code', { details: { oauthError: 'unsupported_response_type' } });
  if (param(form, 'code_challenge_method') !== 'S256') throw new InputError('ERR_OIDC_REQUEST_INVALID', 'PKCE with code_challenge_method S256 is required', { details: { oauthError: 'invalid_request' } });
  const fields: Record<string, string> = {
    response_type: 'code', client_id: param(form, 'client_id', CLIENT_ID), redirect_uri: checkRedirect(param(form, 'redirect_uri')),
    code_challenge: param(form, 'code_challenge', CHALLENGE), code_challenge_method: 'S256',
  };
  for (const name of ['state', 'nonce', 'scope']) {
    const v = form.get(name);
    if (v !== null) fields[name] = param(form, name, OPTIONAL_TEXT);
  }
  return { clientId: fields['client_id'] ?? '', redirectUri: fields['redirect_uri'] ?? '', fields };
}

function redirect(uri: string, params: Record<string, string | undefined>): HttpResponse {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

/** GET and POST <issuer>/authorize. */
export async function handleAuthorize(ctx: OidcContext, req: HttpRequest, issuerBase: string): Promise<HttpResponse> {
  const form = await readForm(req);
  const request = parseAuthorize(form);
  const action = `${issuerBase}${ENDPOINTS.authorize}`;
  if (req.method === 'GET') return html(200, loginPage(action, request.clientId, request.redirectUri, request.fields));
  const state = request.fields['state'];
  if (form.get('decision') === 'deny') return redirect(request.redirectUri, { error: 'access_denied', state });
  if (!ctx.secretMatches(form.get('secret') ?? undefined)) {
    return html(401, loginPage(action, request.clientId, request.redirectUri, request.fields, 'the access secret is wrong'));
  }
  let email: string;
  try { email = parseEmail(form.get('email') ?? ''); } catch {
    return html(400, loginPage(action, request.clientId, request.redirectUri, request.fields, 'enter a valid email address'));
  }
  const nonce = request.fields['nonce'];
  const code = ctx.grants.issueCode({
    clientId: request.clientId, redirectUri: request.redirectUri, codeChallenge: request.fields['code_challenge'] ?? '',
    identity: { kind: 'email', email }, ...(nonce === undefined ? {} : { nonce }),
  });
  return redirect(request.redirectUri, { code, state });
}

/** POST <issuer>/device/code (RFC 8628 §3.1, §3.2). */
export async function handleDeviceCode(ctx: OidcContext, req: HttpRequest, issuerBase: string): Promise<HttpResponse> {
  const form = await readForm(req);
  const grant = ctx.grants.startDevice(param(form, 'client_id', CLIENT_ID));
  const uri = `${issuerBase}${ENDPOINTS.device}`;
  return jsonNoStore(200, {
    device_code: grant.deviceCode, user_code: `${grant.userCode.slice(0, 4)}-${grant.userCode.slice(4)}`,
    verification_uri: uri, verification_uri_complete: `${uri}?user_code=${grant.userCode}`,
    expires_in: grant.expiresInSeconds, interval: grant.intervalSeconds,
  });
}

/** GET and POST <issuer>/device: the verification page. */
export async function handleDevicePage(ctx: OidcContext, req: HttpRequest, issuerBase: string): Promise<HttpResponse> {
  const action = `${issuerBase}${ENDPOINTS.device}`;
  const form = await readForm(req);
  const userCode = (form.get('user_code') ?? '').slice(0, 32);
  if (req.method === 'GET') return html(200, devicePage(action, userCode));
  if (!ctx.grants.hasUserCode(userCode)) return html(400, devicePage(action, userCode, 'this code is unknown or expired'));
  if (form.get('decision') === 'deny') {
    ctx.grants.decideDevice(userCode, 'denied');
    return html(200, messagePage('Device login denied', 'The device will not be signed in.'));
  }
  if (!ctx.secretMatches(form.get('secret') ?? undefined)) return html(401, devicePage(action, userCode, 'the access secret is wrong'));
  let email: string;
  try { email = parseEmail(form.get('email') ?? ''); } catch {
    return html(400, devicePage(action, userCode, 'enter a valid email address'));
  }
  ctx.grants.decideDevice(userCode, { kind: 'email', email });
  return html(200, messagePage('Device approved', `The device is signed in as ${email}. You can return to it now.`));
}
