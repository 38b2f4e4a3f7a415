/**
 * The token endpoint (RFC 6749 §3.2) with three grants: `authorization_code` with PKCE (the
 * browser login), the device code (RFC 8628 §3.4), and `client_credentials` authenticated with
 * the issuer's access secret, which mints a token for the identity named in its `identity`
 * parameter (sigil token). Errors answer in OAuth's `{error, error_description}` body.
 */
import { AuthError, InputError } from '../core/index.ts';
import { DEVICE_GRANT } from './discovery.ts';
import { clientCredentials, jsonNoStore, param } from './form.ts';
import { parseIdentityRequest, type IdentityRequest } from './identity-request.ts';
import type { OidcContext } from './context.ts';
import type { HttpRequest, HttpResponse } from '../core/index.ts';

const CLIENT_ID = /^[A-Za-z0-9._:/-]{1,200}$/;

/** Signs a token for `identity` and answers it as a token response. */
export async function tokenResponse(ctx: OidcContext, issuerBase: string, identity: IdentityRequest, audience: string, ttlSeconds: number, nonce?: string): Promise<HttpResponse> {
  const idToken = await ctx.mint(issuerBase, identity, { audience, ttlSeconds, ...(nonce === undefined ? {} : { nonce }) });
  return jsonNoStore(200, { access_token: idToken, id_token: idToken, token_type: 'Bearer', expires_in: ttlSeconds, scope: 'openid email' });
}

function parseTtl(text: string | null, max: number, fallback: number): number {
  if (text === null) return fallback;
  const n = /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : NaN;
  if (!(n <= max)) throw new InputError('ERR_OIDC_REQUEST_INVALID', `ttl must be whole seconds between 1 and ${max}`, { details: { oauthError: 'invalid_request' } });
  return n;
}

function parseIdentityParam(text: string): IdentityRequest {
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw new InputError('ERR_OIDC_REQUEST_INVALID', 'identity is not json', { details: { oauthError: 'invalid_request' } }); }
  return parseIdentityRequest(json);
}

/** Handles POST <issuer>/token. */
export async function handleToken(ctx: OidcContext, req: HttpRequest, form: URLSearchParams, issuerBase: string): Promise<HttpResponse> {
  const grant = param(form, 'grant_type');
  const creds = clientCredentials(req, form);
  switch (grant) {
    case 'authorization_code': {
      const clientId = creds.clientId ?? param(form, 'client_id', CLIENT_ID);
      const got = ctx.grants.redeemCode(param(form, 'code'), { clientId, redirectUri: param(form, 'redirect_uri'), codeVerifier: form.get('code_verifier') ?? '' });
      return tokenResponse(ctx, issuerBase, got.identity, clientId, ctx.defaultTtlSeconds, got.nonce);
    }
    case DEVICE_GRANT: {
      const clientId = creds.clientId ?? param(form, 'client_id', CLIENT_ID);
      const identity = ctx.grants.pollDevice(param(form, 'device_code'), clientId);
      return tokenResponse(ctx, issuerBase, identity, clientId, ctx.defaultTtlSeconds);
    }
    case 'client_credentials': {
      if (!ctx.secretMatches(creds.clientSecret)) {
        throw new AuthError('ERR_OIDC_CLIENT_UNAUTHORIZED', 'the client secret is not the issuer access secret', { details: { oauthError: 'invalid_client', wwwAuthenticate: 'Basic realm="sigil-oidc"' } });
      }
      const identity = parseIdentityParam(param(form, 'identity', /^[\s\S]{1,8192}$/));
      const audience = form.get('audience') ?? 'sigstore';
      if (!CLIENT_ID.test(audience)) throw new InputError('ERR_OIDC_REQUEST_INVALID', 'audience is malformed', { details: { oauthError: 'invalid_request' } });
      return tokenResponse(ctx, issuerBase, identity, audience, parseTtl(form.get('ttl'), ctx.maxTtlSeconds, ctx.defaultTtlSeconds));
    }
    default:
      throw new InputError('ERR_OIDC_GRANT_UNSUPPORTED', `grant_type ${JSON.stringify(grant.slice(0, 80))} is not supported`, { details: { oauthError: 'unsupported_grant_type' } });
  }
}
