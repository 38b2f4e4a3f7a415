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

function invalidGrant(message: string): never {
  throw new AuthError('ERR_OIDC_GRANT_INVALID', message, { details: { oauthError: 'invalid_grant' } });
}

/** Normalizes a typed user code: upper case, dashes and spaces dropped. */
export function normalizeUserCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

function base64url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

class Store implements GrantStore {
  readonly #options: GrantStoreOptions;
  readonly #codes = new Map<string, CodeGrant & { expiresAtMs: number }>();
  readonly #devices = new Map<string, DeviceState>();

  constructor(options: GrantStoreOptions) {
    this.#options = options;
  }

  #now(): number {
    return this.#options.clock().getTime();
  }

  #prune(): void {
    const t = this.#now();
    const max = this.#options.maxPending ?? 1000;
    for (const [k, v] of this.#codes) if (v.expiresAtMs <= t) this.#codes.delete(k);
    for (const [k, v] of this.#devices) if (v.expiresAtMs + 60_000 <= t) this.#devices.delete(k);
    while (this.#codes.size > max) this.#codes.delete(this.#codes.keys().next().value ?? '');
    while (this.#devices.size > max) this.#devices.delete(this.#devices.keys().next().value ?? '');
  }

  #byUserCode(userCode: string): DeviceState | undefined {
    const wanted = normalizeUserCode(userCode);
    for (const d of this.#devices.values()) if (d.userCode === wanted && d.expiresAtMs > this.#now()) return d;
    return undefined;
  }

  issueCode(grant: CodeGrant): string {
    this.#prune();
    const code = base64url(this.#options.random.bytes(32));
    this.#codes.set(code, { ...grant, expiresAtMs: this.#now() + (this.#options.codeTtlSeconds ?? 60) * 1000 });
    return code;
  }

  redeemCode(code: string, check: { clientId: string; redirectUri: string; codeVerifier: string }): CodeGrant {
    this.#prune();
    const grant = this.#codes.get(code);
    this.#codes.delete(code);
    if (grant === undefined) invalidGrant('the authorization code is unknown, used or expired');
    if (grant.clientId !== check.clientId) invalidGrant('the authorization code was issued to another client');
    if (grant.redirectUri !== check.redirectUri) invalidGrant('redirect_uri differs from the authorization request');
    // RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(check.codeVerifier)) invalidGrant('code_verifier is missing or malformed');
    if (base64url(hashBytes('sha256', check.codeVerifier)) !== grant.codeChallenge) invalidGrant('code_verifier does not match the code_challenge');
    const { expiresAtMs: _e, ...rest } = grant;
    return rest;
  }

  startDevice(clientId: string): DeviceGrant {
    this.#prune();
    const ttl = this.#options.deviceTtlSeconds ?? 600;
    const interval = this.#options.deviceIntervalSeconds ?? 2;
    const userCode = [...this.#options.random.bytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
    const grant: DeviceGrant = { deviceCode: base64url(this.#options.random.bytes(32)), userCode, clientId, expiresInSeconds: ttl, intervalSeconds: interval };
    this.#devices.set(grant.deviceCode, { ...grant, interval, expiresAtMs: this.#now() + ttl * 1000 });
    return grant;
  }

  hasUserCode(userCode: string): boolean {
    return this.#byUserCode(userCode) !== undefined;
  }

  decideDevice(userCode: string, outcome: IdentityRequest | 'denied'): void {
    const d = this.#byUserCode(userCode);
    if (d === undefined || d.outcome !== undefined) invalidGrant('the user code is unknown, expired or already used');
    d.outcome = outcome;
  }

  pollDevice(deviceCode: string, clientId: string): IdentityRequest {
    const d = this.#devices.get(deviceCode);
    if (d === undefined || d.clientId !== clientId) invalidGrant('the device code is unknown');
    const t = this.#now();
    if (d.expiresAtMs <= t) throw new AuthError('ERR_OIDC_DEVICE_CODE_EXPIRED', 'the device code expired', { details: { oauthError: 'expired_token' } });
    if (d.outcome !== undefined) {
      this.#devices.delete(deviceCode);
      if (d.outcome === 'denied') throw new AuthError('ERR_OIDC_ACCESS_DENIED', 'the user denied the request', { details: { oauthError: 'access_denied' } });
      return d.outcome;
    }
    const tooSoon = d.lastPollMs !== undefined && t - d.lastPollMs < d.interval * 1000;
    d.lastPollMs = t;
    if (tooSoon) {
      d.interval += 5; // RFC 8628 §3.5: slow_down adds 5 seconds
      throw new InputError('ERR_OIDC_SLOW_DOWN', `polling faster than every ${d.interval - 5} s`, { details: { oauthError: 'slow_down' } });
    }
    throw new InputError('ERR_OIDC_AUTHORIZATION_PENDING', 'the user has not approved the request yet', { details: { oauthError: 'authorization_pending' } });
  }
}

/** Creates an empty store. */
export function createGrantStore(options: GrantStoreOptions): GrantStore {
  return new Store(options);
}
