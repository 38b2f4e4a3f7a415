/**
 * Registry auth wire formats: the `WWW-Authenticate` challenge (RFC 7235 §4.1 with Docker's
 * token-auth parameters) and the token endpoint's JSON answer (distribution "Token
 * Authentication Specification").
 */
import { UpstreamError } from '../core/index.ts';

/** A parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
  /** lowercased scheme: `bearer`, `basic`, ... */
  readonly scheme: string;
  /** auth-params with lowercased names, e.g. realm, service, scope */
  readonly params: Readonly<Record<string, string>>;
}

// token68-or-param parser: name=token or name="quoted \" string", separated by commas
const PARAM = /\s*([a-zA-Z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;

/**
 * Parses the first challenge of a `WWW-Authenticate` header; undefined when there is none.
 * Registries send one; parsing stops at the first malformed parameter (or a second challenge).
 */
export function parseAuthChallenge(header: string | null | undefined): AuthChallenge | undefined {
  const text = header?.trim() ?? '';
  const match = /^([A-Za-z][A-Za-z0-9_-]*)(?:\s+|$)/.exec(text);
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  PARAM.lastIndex = match[0].length;
  for (let m = PARAM.exec(text); m; m = PARAM.exec(text)) {
    const name = (m[1] ?? '').toLowerCase();
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    if (PARAM.lastIndex >= text.length) break;
  }
  return { scheme: match[1].toLowerCase(), params };
}

/** A bearer token and how long it lives. */
export interface TokenResponse {
  readonly token: string;
  /** lifetime in seconds; the spec's default is 60 */
  readonly expiresInS: number;
}

/** distribution's token spec: "If omitted, the default is 60 seconds". */
const DEFAULT_TOKEN_LIFETIME_S = 60;

/**
 * Parses a token endpoint answer, accepting `token` or `access_token` (OAuth2 form).
 * @throws ERR_HTTP_RESPONSE_INVALID when neither is a non-empty string
 */
export function parseTokenResponse(body: unknown): TokenResponse {
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const token = typeof obj['token'] === 'string' && obj['token'] !== '' ? obj['token'] : obj['access_token'];
  if (typeof token !== 'string' || token === '') {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', 'token endpoint answered without a token or access_token string');
  }
  const expires = obj['expires_in'];
  const expiresInS = typeof expires === 'number' && Number.isFinite(expires) && expires > 0 ? expires : DEFAULT_TOKEN_LIFETIME_S;
  return { token, expiresInS };
}

/** The token scope for `repository` with `actions` (`pull` or `pull,push`). */
export function formatRepositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}
