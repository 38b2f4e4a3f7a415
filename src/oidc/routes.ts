/**
 * The local OIDC issuer as plain route data (like tlog/routes.ts), mounted under `basePath`
 * (`/oidc`): discovery for the email issuer `<base>` and the CI issuers `<base>/github-actions`,
 * `<base>/gitlab`, `<base>/buildkite`; one JWKS; the authorization, token and device endpoints.
 * Errors answer in OAuth's `{error, error_description}` body (the 'oauth' dialect).
 */
import type { HttpRequest, HttpResponse, Route } from '../core/index.ts';
import { createOidcContext, type OidcOptions } from './context.ts';
import { discoveryDocument, ENDPOINTS } from './discovery.ts';
import { readForm } from './form.ts';
import { handleAuthorize, handleDevicePage, handleDeviceCode } from './login-endpoints.ts';
import { handleToken } from './token-endpoint.ts';

/** Options of the routes. */
export interface OidcRouteOptions extends OidcOptions {
  /** the path the issuer is mounted at, e.g. `/oidc` (no trailing slash) */
  readonly basePath: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Builds the issuer's routes. */
export function createOidcRoutes(options: OidcRouteOptions): Route[] {
  const ctx = createOidcContext(options);
  const base = escapeRegExp(options.basePath);
  const issuerBase = (req: HttpRequest): string => `${req.baseUrl}${options.basePath}`;
  const route = (methods: string[], path: string, handle: (req: HttpRequest) => Promise<HttpResponse>): Route => ({
    methods, pattern: new RegExp(`^${base}${path}$`), dialect: 'oauth', handle,
  });
  const json = (value: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' }, body: JSON.stringify(value) });
  return [
    route(['GET', 'HEAD'], '(?<suffix>|/github-actions|/gitlab|/buildkite)/\\.well-known/openid-configuration', async (req) =>
      json(discoveryDocument(`${issuerBase(req)}${req.params['suffix'] ?? ''}`, issuerBase(req), [ctx.keys.signer.alg]))),
    route(['GET', 'HEAD'], escapeRegExp(ENDPOINTS.jwks), async () => json({ keys: ctx.keys.publicKeys })),
    route(['GET', 'POST'], escapeRegExp(ENDPOINTS.authorize), (req) => handleAuthorize(ctx, req, issuerBase(req))),
    route(['POST'], escapeRegExp(ENDPOINTS.token), async (req) => handleToken(ctx, req, await readForm(req), issuerBase(req))),
    route(['POST'], escapeRegExp(ENDPOINTS.deviceCode), (req) => handleDeviceCode(ctx, req, issuerBase(req))),
    route(['GET', 'POST'], escapeRegExp(ENDPOINTS.device), (req) => handleDevicePage(ctx, req, issuerBase(req))),
  ];
}

