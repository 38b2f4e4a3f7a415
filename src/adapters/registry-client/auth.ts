/**
 * Registry authentication: Basic, and the Bearer token flow of distribution's "Token
 * Authentication Specification" (challenge -> GET realm?service&scope -> token), with tokens
 * cached per registry and scope until `expires_in` runs out.
 */
import { AuthError, encodeUtf8, UpstreamError } from '../../core/index.ts';
import { parseTokenResponse, type AuthChallenge } from '../../oci/index.ts';
import { toFetchError } from './errors.ts';
import type { Credential, RegistryClientDeps } from './types.ts';
import type { HttpResponse } from '../http-clients/fetch.ts';

/** Answers Authorization headers for registry requests. */
export interface Authenticator {
  /** The header to send up front, from what earlier challenges taught; undefined for none. */
  headerFor(registry: string, scopes: readonly string[]): Promise<string | undefined>;
  /** Learns a 401's challenge and returns the header to retry with. @throws ERR_OCI_UNAUTHORIZED, ERR_AUTH_TOKEN */
  answer(registry: string, challenge: AuthChallenge | undefined, scopes: readonly string[]): Promise<string>;
}

type AuthDeps = Pick<RegistryClientDeps, 'fetch' | 'credentials' | 'now' | 'timeoutMs'>;

// renew a token this long before it expires, so it does not lapse in flight
const EXPIRY_MARGIN_MS = 5000;

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(encodeUtf8(`${username}:${password}`)).toString('base64')}`;
}

/** Creates an authenticator with its own challenge, credential and token caches. */
export function createAuthenticator(deps: AuthDeps): Authenticator {
  return new TokenAuthenticator(deps);
}

class TokenAuthenticator implements Authenticator {
  readonly #deps: AuthDeps;
  readonly #challenges = new Map<string, AuthChallenge>();
  readonly #credentials = new Map<string, Promise<Credential | undefined>>();
  readonly #tokens = new Map<string, { header: string; expiresAtMs: number }>();

  constructor(deps: AuthDeps) { this.#deps = deps; }

  async headerFor(registry: string, scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.#challenges.get(registry);
    return challenge ? this.#headerForChallenge(registry, challenge, scopes) : undefined;
  }

  async answer(registry: string, challenge: AuthChallenge | undefined, scopes: readonly string[]): Promise<string> {
    if (!challenge) throw new AuthError('ERR_OCI_UNAUTHORIZED', `${registry} answered 401 without a WWW-Authenticate challenge`);
    this.#challenges.set(registry, challenge);
    const header = await this.#headerForChallenge(registry, challenge, scopes);
    if (header === undefined) {
      const why = challenge.scheme === 'basic' ? 'no credentials are configured for it' : `its auth scheme ${challenge.scheme} is not supported`;
      throw new AuthError('ERR_OCI_UNAUTHORIZED', `${registry} wants authentication but ${why}; run docker login or add it to the docker config`);
    }
    return header;
  }

  #credentialFor(registry: string): Promise<Credential | undefined> {
    let found = this.#credentials.get(registry);
    if (!found) { found = this.#deps.credentials(registry); this.#credentials.set(registry, found); }
    return found;
  }

  async #headerForChallenge(registry: string, challenge: AuthChallenge, scopes: readonly string[]): Promise<string | undefined> {
    if (challenge.scheme === 'bearer') return this.#bearer(registry, challenge, scopes);
    if (challenge.scheme !== 'basic') return undefined;
    const credential = await this.#credentialFor(registry);
    return credential?.username !== undefined ? basicHeader(credential.username, credential.password ?? '') : undefined;
  }

  async #bearer(registry: string, challenge: AuthChallenge, scopes: readonly string[]): Promise<string> {
    const key = `${registry} ${[...scopes].sort().join(' ')}`;
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAtMs - EXPIRY_MARGIN_MS > this.#deps.now().getTime()) return cached.header;
    const credential = await this.#credentialFor(registry);
    if (credential?.registryToken) return `Bearer ${credential.registryToken}`;
    const { token, expiresInS } = await fetchToken(this.#deps, challenge, scopes, credential);
    const header = `Bearer ${token}`;
    this.#tokens.set(key, { header, expiresAtMs: this.#deps.now().getTime() + expiresInS * 1000 });
    return header;
  }
}

/** GETs (or, with an identity token, POSTs) the realm for a token covering `scopes`. */
async function fetchToken(deps: AuthDeps, challenge: AuthChallenge, scopes: readonly string[], credential: Credential | undefined) {
  const realm = challenge.params['realm'];
  if (!realm || !/^https?:\/\//.test(realm)) throw new AuthError('ERR_AUTH_TOKEN', `bearer challenge has no usable realm: ${JSON.stringify(realm ?? '')}`);
  const params = new URLSearchParams();
  if (challenge.params['service']) params.set('service', challenge.params['service']);
  for (const scope of scopes) params.append('scope', scope);
  const init: RequestInit = { signal: AbortSignal.timeout(deps.timeoutMs), headers: {} };
  let url = `${realm}${realm.includes('?') ? '&' : '?'}${params}`;
  if (credential?.identityToken) {
    // OAuth2 refresh-token grant, as docker does for identity tokens
    params.set('grant_type', 'refresh_token'); params.set('client_id', 'sigil'); params.set('refresh_token', credential.identityToken);
    Object.assign(init, { method: 'POST', body: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    url = realm;
  } else if (credential?.username !== undefined) {
    init.headers = { authorization: basicHeader(credential.username, credential.password ?? '') };
  }
  let response: HttpResponse;
  try { response = await deps.fetch(url, init); } catch (error) { throw toFetchError(init.method ?? 'GET', realm, error); }
  const text = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) {
    throw new AuthError('ERR_OCI_UNAUTHORIZED', `token endpoint ${realm} refused the ${credential ? 'credentials' : 'anonymous request'} (${response.status})`);
  }
  if (!response.ok) throw new AuthError('ERR_AUTH_TOKEN', `token endpoint ${realm} answered ${response.status}`);
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `token endpoint ${realm} answered invalid json`); }
  return parseTokenResponse(body);
}
