/**
 * The issuer's OpenID Connect discovery document (OpenID Connect Discovery 1.0 §3) and its
 * endpoint paths. Every issuer URL of the local issuer (email and the CI kinds) shares the
 * endpoints under the issuer base.
 */

/** Endpoint paths under the issuer base. */
export const ENDPOINTS = {
  jwks: '/jwks',
  authorize: '/authorize',
  token: '/token',
  deviceCode: '/device/code',
  device: '/device',
} as const;

/** Grant type of the device flow (RFC 8628 §3.4). */
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** The discovery document of `issuer`, whose endpoints live under `issuerBase`. */
export function discoveryDocument(issuer: string, issuerBase: string, algorithms: readonly string[]): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuerBase}${ENDPOINTS.authorize}`,
    token_endpoint: `${issuerBase}${ENDPOINTS.token}`,
    device_authorization_endpoint: `${issuerBase}${ENDPOINTS.deviceCode}`,
    jwks_uri: `${issuerBase}${ENDPOINTS.jwks}`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', DEVICE_GRANT, 'client_credentials'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...algorithms],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'email'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'nbf', 'exp', 'jti', 'nonce', 'email', 'email_verified'],
  };
}
