/**
 * Interactive login against any OIDC issuer with discovery: the authorization code flow with
 * PKCE (RFC 7636, S256) through a loopback redirect, or the device flow (RFC 8628). Returns the
 * ID token; its nonce is checked against the one sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { AuthError, isAppError, UpstreamError, type Sleep } from '../../core/index.ts';
import { basicAuthorization, discoverIssuer, idTokenOf, postForm, type IssuerClientOptions } from './issuer-client.ts';
import { startLoopbackListener } from './loopback.ts';

/** What both flows need. */
export interface LoginOptions extends IssuerClientOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** tells the user what to do (a line on stderr) */
  readonly notify: (text: string) => void;
  /** the whole login must finish within this (default 5 min) */
  readonly loginTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

function auth(options: LoginOptions): string | undefined {
  return options.clientSecret === undefined ? undefined : basicAuthorization(options.clientId, options.clientSecret);
}

/**
 * The browser flow: prints the authorization URL, asks `openUrl` to open it, waits for the
 * redirect on a loopback port, exchanges the code.
 * @throws ERR_OIDC_LOGIN_FAILED (timeout, state or nonce mismatch), ERR_OIDC_ACCESS_DENIED, ERR_OIDC_DISCOVERY, token endpoint errors
 */
export async function loginWithBrowser(options: LoginOptions & { readonly openUrl: (url: string) => Promise<void>; readonly redirectPort?: number }): Promise<string> {
  const endpoints = await discoverIssuer(options, options.issuer);
  if (endpoints.authorizationEndpoint === undefined) throw new UpstreamError('ERR_OIDC_DISCOVERY', `${options.issuer} publishes no authorization_endpoint`);
  const listener = await startLoopbackListener(options.redirectPort ?? 0);
  try {
    const verifier = b64url(randomBytes(32));
    const state = b64url(randomBytes(16));
    const nonce = b64url(randomBytes(16));
    const url = new URL(endpoints.authorizationEndpoint);
    const query: Record<string, string> = {
      response_type: 'code', client_id: options.clientId, redirect_uri: listener.redirectUri, scope: 'openid email',
      code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256', state, nonce,
    };
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    options.notify(`Open this URL in a browser to sign in:\n\n  ${url.toString()}\n`);
    options.openUrl(url.toString()).catch(() => undefined);
    const answer = await listener.wait(options.loginTimeoutMs ?? 300_000, options.signal);
    const error = answer.get('error');
    if (error !== null) {
      const code = error === 'access_denied' ? 'ERR_OIDC_ACCESS_DENIED' : 'ERR_OIDC_LOGIN_FAILED';
      throw new AuthError(code, `the issuer answered ${error}${answer.get('error_description') ? `: ${answer.get('error_description')}` : ''}`);
    }
    if (answer.get('state') !== state) throw new AuthError('ERR_OIDC_LOGIN_FAILED', 'the redirect carries another state than the one sent');
    const code = answer.get('code');
    if (code === null || code === '') throw new AuthError('ERR_OIDC_LOGIN_FAILED', 'the redirect carries no code');
    const tokens = await postForm(options, endpoints.tokenEndpoint, {
      grant_type: 'authorization_code', code, redirect_uri: listener.redirectUri, client_id: options.clientId, code_verifier: verifier,
    }, auth(options));
    const idToken = idTokenOf(tokens, endpoints.tokenEndpoint);
    checkNonce(idToken, nonce);
    return idToken;
  } finally {
    await listener.close();
  }
}

function checkNonce(idToken: string, nonce: string): void {
  let claims: Record<string, unknown>;
  try { claims = decodeJwt(idToken); } catch (cause) {
    throw new AuthError('ERR_OIDC_LOGIN_FAILED', 'the issuer answered an id_token that is not a jwt', { cause });
  }
  if (claims['nonce'] !== nonce) throw new AuthError('ERR_OIDC_LOGIN_FAILED', 'the id_token nonce differs from the one sent (replayed or substituted token)');
}

/**
 * The device flow: asks for a device code, tells the user where to approve it, polls.
 * @throws ERR_OIDC_DEVICE_CODE_EXPIRED, ERR_OIDC_ACCESS_DENIED, ERR_OIDC_DISCOVERY, token endpoint errors
 */
export async function loginWithDevice(options: LoginOptions & { readonly sleep: Sleep; readonly now: () => number }): Promise<string> {
  const endpoints = await discoverIssuer(options, options.issuer);
  if (endpoints.deviceAuthorizationEndpoint === undefined) throw new UpstreamError('ERR_OIDC_DISCOVERY', `${options.issuer} publishes no device_authorization_endpoint`);
  const start = await postForm(options, endpoints.deviceAuthorizationEndpoint, { client_id: options.clientId, scope: 'openid email' }, auth(options));
  const deviceCode = start['device_code'];
  const userCode = start['user_code'];
  const verificationUri = start['verification_uri'];
  if (typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string') {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `${endpoints.deviceAuthorizationEndpoint} answered no device_code, user_code or verification_uri`);
  }
  const complete = typeof start['verification_uri_complete'] === 'string' ? `\n  (or open ${start['verification_uri_complete']})` : '';
  options.notify(`Open ${verificationUri} and enter the code ${userCode}${complete}\n`);
  let interval = typeof start['interval'] === 'number' && start['interval'] > 0 ? start['interval'] : 5;
  const expiresIn = typeof start['expires_in'] === 'number' ? start['expires_in'] : 600;
  const deadline = options.now() + Math.min(expiresIn * 1000, options.loginTimeoutMs ?? Infinity);
  while (options.now() < deadline) {
    await options.sleep(interval * 1000, options.signal);
    try {
      const tokens = await postForm(options, endpoints.tokenEndpoint, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: options.clientId,
      }, auth(options));
      return idTokenOf(tokens, endpoints.tokenEndpoint);
    } catch (error) {
      if (isAppError(error) && error.code === 'ERR_OIDC_AUTHORIZATION_PENDING') continue;
      if (isAppError(error) && error.code === 'ERR_OIDC_SLOW_DOWN') { interval += 5; continue; }
      throw error;
    }
  }
  throw new AuthError('ERR_OIDC_DEVICE_CODE_EXPIRED', `nobody approved the code ${userCode} in time`);
}
