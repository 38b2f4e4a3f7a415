/**
 * Pending grants of the local issuer, in memory: authorization codes (RFC 6749 §4.1, bound to
 * a PKCE challenge, RFC 7636) and device requests (RFC 8628). Codes are single-use and short;
 * everything expires against the injected clock. A restart forgets pending logins, by design.
 */
import { AuthError, encodeBase64, hashBytes, InputError, type Clock, type Random } from '../core/index.ts';
import type { IdentityRequest } from './identity-request.ts';

/** What an authorization code was issued for. */
export interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  readonly identity: IdentityRequest;
}

/** A device authorization request (RFC 8628 §3.2). */
export interface DeviceGrant {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly expiresInSeconds: number;
  readonly intervalSeconds: number;
}

interface DeviceState extends DeviceGrant {
  readonly expiresAtMs: number;
  interval: number;
  lastPollMs?: number;
  outcome?: IdentityRequest | 'denied';
}

/** Options of `createGrantStore`. */
export interface GrantStoreOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly codeTtlSeconds?: number;
  readonly deviceTtlSeconds?: number;
  readonly deviceIntervalSeconds?: number;
  /** pending grants of each kind kept at most (oldest dropped) */
  readonly maxPending?: number;
}

/** The store. */
export interface GrantStore {
  issueCode(grant: CodeGrant): string;
  /** @throws ERR_OIDC_GRANT_INVALID for an unknown, used or expired code, or a PKCE/redirect/client mismatch */
  redeemCode(code: string, check: { clientId: string; redirectUri: string; codeVerifier: string }): CodeGrant;
  startDevice(clientId: string): DeviceGrant;
  /** true when the user code names a pending request */
  hasUserCode(userCode: string): boolean;
  /** @throws ERR_OIDC_GRANT_INVALID when the user code is unknown or expired */
  decideDevice(userCode: string, outcome: IdentityRequest | 'denied'): void;
  /** @throws ERR_OIDC_AUTHORIZATION_PENDING, ERR_OIDC_SLOW_DOWN, ERR_OIDC_DEVICE_CODE_EXPIRED, ERR_OIDC_ACCESS_DENIED, ERR_OIDC_GRANT_INVALID */
  pollDevice(deviceCode: string, clientId: string): IdentityRequest;
}

// RFC 8628 §6.1: a user code from a 20-letter alphabet without vowels, 8 characters
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function oauth(code: 'ERR_OIDC_GRANT_INVALID', message: string): never {
  throw new AuthError(code, message, { details: { oauthError: 'invalid_grant' } });
}

/** Normalizes a typed user code: upper case, dashes and spaces dropped. */
export function normalizeUserCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/** Creates an empty store. */
export function createGrantStore(options: GrantStoreOptions): GrantStore {
  const codeTtlMs = (options.codeTtlSeconds ?? 60) * 1000;
  const deviceTtl = options.deviceTtlSeconds ?? 600;
  const maxPending = options.maxPending ?? 1000;
  const codes = new Map<string, CodeGrant & { expiresAtMs: number }>();
  const devices = new Map<string, DeviceState>();
  const now = (): number => options.clock().getTime();
  const token = (): string => encodeBase64(options.random.bytes(32)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const prune = (): void => {
    const t = now();
    for (const [k, v] of codes) if (v.expiresAtMs <= t) codes.delete(k);
    for (const [k, v] of devices) if (v.expiresAtMs + 60_000 <= t) devices.delete(k);
    while (codes.size > maxPending) codes.delete(codes.keys().next().value ?? '');
    while (devices.size > maxPending) devices.delete(devices.keys().next().value ?? '');
  };
  const byUserCode = (userCode: string): DeviceState | undefined => {
    const wanted = normalizeUserCode(userCode);
    for (const d of devices.values()) if (d.userCode === wanted && d.expiresAtMs > now()) return d;
    return undefined;
  };
  return {
    issueCode(grant) {
      prune();
      const code = token();
      codes.set(code, { ...grant, expiresAtMs: now() + codeTtlMs });
      return code;
    },
    redeemCode(code, check) {
      prune();
      const grant = codes.get(code);
      codes.delete(code);
      if (grant === undefined) oauth('ERR_OIDC_GRANT_INVALID', 'the authorization code is unknown, used or expired');
      if (grant.clientId !== check.clientId) oauth('ERR_OIDC_GRANT_INVALID', 'the authorization code was issued to another client');
      if (grant.redirectUri !== check.redirectUri) oauth('ERR_OIDC_GRANT_INVALID', 'redirect_uri differs from the authorization request');
      // RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(check.codeVerifier)) oauth('ERR_OIDC_GRANT_INVALID', 'code_verifier is missing or malformed');
      const computed = encodeBase64(hashBytes('sha256', check.codeVerifier)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      if (computed !== grant.codeChallenge) oauth('ERR_OIDC_GRANT_INVALID', 'code_verifier does not match the code_challenge');
      const { expiresAtMs: _e, ...rest } = grant;
      return rest;
    },
    startDevice(clientId) {
      prune();
      const letters = [...options.random.bytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
      const state: DeviceState = {
        deviceCode: token(), userCode: letters, clientId, expiresInSeconds: deviceTtl,
        intervalSeconds: options.deviceIntervalSeconds ?? 2, interval: options.deviceIntervalSeconds ?? 2, expiresAtMs: now() + deviceTtl * 1000,
      };
      devices.set(state.deviceCode, state);
      return { deviceCode: state.deviceCode, userCode: letters, clientId, expiresInSeconds: deviceTtl, intervalSeconds: state.intervalSeconds };
    },
    hasUserCode: (userCode) => byUserCode(userCode) !== undefined,
    decideDevice(userCode, outcome) {
      const d = byUserCode(userCode);
      if (d === undefined || d.outcome !== undefined) oauth('ERR_OIDC_GRANT_INVALID', 'the user code is unknown, expired or already used');
      d.outcome = outcome;
    },
    pollDevice(deviceCode, clientId) {
      const d = devices.get(deviceCode);
      if (d === undefined || d.clientId !== clientId) oauth('ERR_OIDC_GRANT_INVALID', 'the device code is unknown');
      const t = now();
      if (d.expiresAtMs <= t) throw new AuthError('ERR_OIDC_DEVICE_CODE_EXPIRED', 'the device code expired', { details: { oauthError: 'expired_token' } });
      if (d.outcome === 'denied') { devices.delete(deviceCode); throw new AuthError('ERR_OIDC_ACCESS_DENIED', 'the user denied the request', { details: { oauthError: 'access_denied' } }); }
      if (d.outcome !== undefined) { devices.delete(deviceCode); return d.outcome; }
      const tooSoon = d.lastPollMs !== undefined && t - d.lastPollMs < d.interval * 1000;
      d.lastPollMs = t;
      if (tooSoon) {
        d.interval += 5; // RFC 8628 §3.5: slow_down adds 5 seconds
        throw new InputError('ERR_OIDC_SLOW_DOWN', `polling faster than every ${d.interval - 5} s`, { details: { oauthError: 'slow_down' } });
      }
      throw new InputError('ERR_OIDC_AUTHORIZATION_PENDING', 'the user has not approved the request yet', { details: { oauthError: 'authorization_pending' } });
    },
  };
}
