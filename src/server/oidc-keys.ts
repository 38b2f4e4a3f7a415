/**
 * The local issuer's state on disk, under `<data>/oidc/` (mode 0700):
 * - `signing-keys.json` (0600): every signing key as a private JWK, newest last; the newest
 *   signs, and the JWKS publishes the public halves of the newest KEEP_KEYS, so tokens signed
 *   before a rotation still verify until they expire;
 * - `access-secret` (0600): the secret the mint grant and the login pages require.
 * Both are created on first start; `rotate` appends a fresh key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { ConfigError, type Clock, type Random } from '../core/index.ts';
import { createTokenSigner, toPublicJwk, type IssuerKeys } from '../oidc/index.ts';

const KEYS_FILE = 'signing-keys.json';
const SECRET_FILE = 'access-secret';
/** Public keys kept in the JWKS after rotations (the active one included). */
export const KEEP_KEYS = 5;

interface StoredKey {
  readonly kid: string;
  readonly alg: string;
  readonly createdAt: string;
  readonly privateJwk: Record<string, unknown>;
}

function writePrivate(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

async function newKey(clock: Clock): Promise<StoredKey> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  const kid = await calculateJwkThumbprint(await exportJWK(pair.publicKey));
  return { kid, alg: 'ES256', createdAt: clock().toISOString(), privateJwk: { ...privateJwk, kid } };
}

function readKeys(path: string): StoredKey[] {
  let parsed: unknown;
  try { parsed = JSON.parse(readFileSync(path, 'utf8')); } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `the issuer key file ${path} is not json`, { cause });
  }
  const keys = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['keys'] : undefined;
  const ok = Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'object' && k !== null
    && typeof k.kid === 'string' && typeof k.alg === 'string' && typeof k.privateJwk === 'object' && k.privateJwk !== null);
  if (!ok) throw new ConfigError('ERR_CONFIG_INVALID', `the issuer key file ${path} has no keys`);
  return keys as StoredKey[];
}

/** Options of `loadIssuerState`. */
export interface IssuerStateOptions {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly random: Random;
  /** add a new signing key before loading (keeps the old public keys published) */
  readonly rotate?: boolean;
}

/**
 * Loads (creating on first start) the issuer's keys and access secret.
 * @throws ERR_CONFIG_INVALID when a file exists but is unusable
 */
export async function loadIssuerState(options: IssuerStateOptions): Promise<{ keys: IssuerKeys; secret: string; rotated: boolean }> {
  const dir = join(options.dataDir, 'oidc');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keysPath = join(dir, KEYS_FILE);
  let stored = existsSync(keysPath) ? readKeys(keysPath) : [];
  const rotated = stored.length > 0 && options.rotate === true;
  if (stored.length === 0 || rotated) {
    stored = [...stored, await newKey(options.clock)].slice(-KEEP_KEYS * 2);
    writePrivate(keysPath, `${JSON.stringify({ keys: stored }, null, 2)}\n`);
  }
  const active = stored.at(-1)!;
  const signer = await createTokenSigner(active.privateJwk, active.alg);
  const publicKeys = stored.slice(-KEEP_KEYS).reverse().map((k) => toPublicJwk(k.privateJwk, k.alg));
  const secretPath = join(dir, SECRET_FILE);
  if (!existsSync(secretPath)) writePrivate(secretPath, `${Buffer.from(options.random.bytes(32)).toString('base64url')}\n`);
  const secret = readFileSync(secretPath, 'utf8').trim();
  if (secret.length < 16) throw new ConfigError('ERR_CONFIG_INVALID', `the issuer access secret ${secretPath} is shorter than 16 characters`);
  return { keys: { signer, publicKeys }, secret, rotated };
}
