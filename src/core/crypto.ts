/**
 * Explicit-algorithm hashing, key derivation, key handling, signing and signature verification.
 * The only file in src that imports node:crypto.
 */
import {
  constants, createECDH, createHash, createPrivateKey, hash, createPublicKey, generateKeyPairSync, publicDecrypt, scrypt, sign, verify, X509Certificate,
  type Hash, type KeyObject,
} from 'node:crypto';
import { InputError, VerificationError } from './errors.ts';
import type { KeyType } from './key-types.ts';

/** Hash algorithms sigil computes, by their OCI digest names. */
export type HashAlgorithm = 'sha256' | 'sha384' | 'sha512';

/** An incremental hasher. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Lowercase hex of the digest; call once. */
  digestHex(): string;
}

/** Creates an incremental hasher for `algorithm`. */
export function createHasher(algorithm: HashAlgorithm): Hasher {
  const hash: Hash = createHash(algorithm);
  return {
    update(chunk) { hash.update(chunk); },
    digestHex() { return hash.digest('hex'); },
  };
}

/** One-shot hash of `data` as lowercase hex. */
export function hashHex(algorithm: HashAlgorithm, data: Uint8Array | string): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** One-shot hash of `data` as raw bytes. */
export function hashBytes(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array {
  // the one-shot hash skips creating a Hash object, a third of the cost for small inputs
  return new Uint8Array(hash(algorithm, data, 'buffer'));
}

/** scrypt cost parameters (RFC 7914). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Derives `keyLengthBytes` bytes with scrypt. Requires parameters the caller has already bounded:
 * memory use is about 128·N·r bytes (128 MiB for N = 131072, r = 8).
 * @throws ERR_KEY_UNSUPPORTED when Node refuses the parameters
 */
export function deriveScryptKey(password: Uint8Array, salt: Uint8Array, params: ScryptParams, keyLengthBytes: number): Promise<Uint8Array> {
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLengthBytes, { N: params.N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error) reject(new InputError('ERR_KEY_UNSUPPORTED', `scrypt refused N=${params.N} r=${params.r} p=${params.p}`, { cause: error }));
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    });
  });
}

/** Signature algorithms sigil signs and verifies; each fixes key type, curve, hash and padding. */
export type SignatureAlgorithm =
  | 'ecdsa-p256-sha256'
  | 'ecdsa-p384-sha384'
  | 'ecdsa-p521-sha512'
  // cosign 2.5 signs with SHA-256 whatever the curve of a key file's key (checked against it)
  | 'ecdsa-p384-sha256'
  | 'ecdsa-p521-sha256'
  | 'ed25519'
  | 'rsa-pkcs1v15-sha256'
  | 'rsa-pss-sha256';

interface AlgorithmSpec {
  readonly keyType: 'ec' | 'ed25519' | 'rsa';
  readonly curve?: string;
  /** the digest node:crypto applies, null for pure Ed25519 */
  readonly hash: HashAlgorithm | null;
  readonly pss?: true;
}

const SIGNATURE_ALGORITHMS: Readonly<Record<SignatureAlgorithm, AlgorithmSpec>> = {
  'ecdsa-p256-sha256': { keyType: 'ec', curve: 'prime256v1', hash: 'sha256' },
  'ecdsa-p384-sha384': { keyType: 'ec', curve: 'secp384r1', hash: 'sha384' },
  'ecdsa-p521-sha512': { keyType: 'ec', curve: 'secp521r1', hash: 'sha512' },
  'ecdsa-p384-sha256': { keyType: 'ec', curve: 'secp384r1', hash: 'sha256' },
  'ecdsa-p521-sha256': { keyType: 'ec', curve: 'secp521r1', hash: 'sha256' },
  'ed25519': { keyType: 'ed25519', hash: null },
  'rsa-pkcs1v15-sha256': { keyType: 'rsa', hash: 'sha256' },
  'rsa-pss-sha256': { keyType: 'rsa', hash: 'sha256', pss: true },
};

const MIN_RSA_BITS = 2048;

// Refuses a key whose type or curve differs from the named algorithm (algorithm confusion).
function checkKeyFits(algorithm: SignatureAlgorithm, key: KeyObject): void {
  const spec = SIGNATURE_ALGORITHMS[algorithm];
  const details = key.asymmetricKeyDetails ?? {};
  const fits = key.asymmetricKeyType === spec.keyType
    && (spec.curve === undefined || details.namedCurve === spec.curve)
    && (spec.keyType !== 'rsa' || (details.modulusLength ?? 0) >= MIN_RSA_BITS);
  if (!fits) {
    const curve = details.namedCurve === undefined ? '' : ` ${details.namedCurve}`;
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `a ${key.asymmetricKeyType ?? 'unknown'}${curve} key does not fit ${algorithm}`);
  }
}

function checkAllowed(algorithm: SignatureAlgorithm, allowed: readonly SignatureAlgorithm[]): void {
  if (!allowed.includes(algorithm) || !(algorithm in SIGNATURE_ALGORITHMS)) {
    throw new VerificationError('ERR_CRYPTO_ALGORITHM_NOT_ALLOWED', `algorithm ${algorithm} is not in the allowlist [${allowed.join(', ')}]`);
  }
}

// Parsed keys by their exact DER bytes: logs, CAs and CT logs verify the same key many times.
const KEY_CACHE = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 256;

// The same cache by key array object: trust-root keys are verified with again and again through
// the very same Uint8Array, found here without building the string key. An array's bytes can
// change, so the entry remembers the bytes it was made from and is used only while they match.
const KEYS_BY_ARRAY = new WeakMap<Uint8Array, { readonly algorithm: SignatureAlgorithm; readonly bytes: Uint8Array; readonly key: KeyObject }>();

function parsePublicKey(algorithm: SignatureAlgorithm, spkiDer: Uint8Array): KeyObject {
  const known = KEYS_BY_ARRAY.get(spkiDer);
  if (known !== undefined && known.algorithm === algorithm && equalArrays(known.bytes, spkiDer)) return known.key;
  const key = parsePublicKeyByBytes(algorithm, spkiDer);
  KEYS_BY_ARRAY.set(spkiDer, { algorithm, bytes: spkiDer.slice(), key });
  return key;
}

function equalArrays(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function parsePublicKeyByBytes(algorithm: SignatureAlgorithm, spkiDer: Uint8Array): KeyObject {
  const bytes = Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength);
  // keyed by algorithm and exact bytes: a cached key has already been found to fit its algorithm
  const id = `${algorithm}|${bytes.toString('latin1')}`;
  let key = KEY_CACHE.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    } catch (cause) {
      throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
    }
    checkKeyFits(algorithm, key);
    if (KEY_CACHE.size >= KEY_CACHE_LIMIT) KEY_CACHE.clear();
    KEY_CACHE.set(id, key);
  }
  return key;
}

function paddingOptions(algorithm: SignatureAlgorithm): { padding?: number; saltLength?: number } {
  return SIGNATURE_ALGORITHMS[algorithm].pss
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : {};
}

/**
 * True when `signature` over `data` verifies with the DER SPKI public key under `algorithm`
 * (ECDSA signatures are ASN.1 DER). Requires `algorithm` in `allowed`.
 * @throws ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
 */
export function isSignatureValid(
  algorithm: SignatureAlgorithm,
  spkiDer: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  allowed: readonly SignatureAlgorithm[],
): boolean {
  checkAllowed(algorithm, allowed);
  return verifyWithKey(algorithm, parsePublicKey(algorithm, spkiDer), data, signature);
}

function verifyWithKey(algorithm: SignatureAlgorithm, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    // a bare KeyObject when no options are needed: node's check for one inside an options object is costly
    const padding = paddingOptions(algorithm);
    return verify(SIGNATURE_ALGORITHMS[algorithm].hash, data, padding.padding === undefined ? key : { key, ...padding }, signature);
  } catch {
    // node throws on some malformed signature encodings; those are simply invalid signatures
    return false;
  }
}

/**
 * Verifies `signature` over `data` with the DER SPKI public key under `algorithm`.
 * Requires `algorithm` in `allowed`.
 * @throws ERR_CRYPTO_SIGNATURE_INVALID, ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
 */
export function verifySignature(
  algorithm: SignatureAlgorithm,
  spkiDer: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  allowed: readonly SignatureAlgorithm[],
): void {
  if (!isSignatureValid(algorithm, spkiDer, data, signature, allowed)) {
    throw new VerificationError('ERR_CRYPTO_SIGNATURE_INVALID', `${algorithm} signature (${signature.byteLength} bytes) does not verify`);
  }
}

/**
 * Signs `data` with a DER PKCS#8 private key under `algorithm` (ECDSA output is ASN.1 DER).
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse or does not fit `algorithm`
 */
export function signData(algorithm: SignatureAlgorithm, pkcs8Der: Uint8Array, data: Uint8Array): Uint8Array {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `private key is not DER PKCS#8 (${pkcs8Der.byteLength} bytes)`, { cause });
  }
  checkKeyFits(algorithm, key);
  return new Uint8Array(sign(SIGNATURE_ALGORITHMS[algorithm].hash, data, { key, ...paddingOptions(algorithm) }));
}

/**
 * The 32-byte raw Ed25519 public key inside a DER SPKI.
 * @throws ERR_CRYPTO_KEY_INVALID when the SPKI is not an Ed25519 key
 */
export function ed25519PublicKeyBytes(spkiDer: Uint8Array): Uint8Array {
  const key = parsePublicKey('ed25519', spkiDer);
  const jwk = key.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}

const CURVES: Readonly<Record<string, KeyType>> = { prime256v1: 'ecdsa-p256', secp384r1: 'ecdsa-p384', secp521r1: 'ecdsa-p521' };
const NODE_CURVES = { 'ecdsa-p256': 'P-256', 'ecdsa-p384': 'P-384', 'ecdsa-p521': 'P-521' } as const;
/** Go's crypto/rsa (so cosign) parses keys up to 16384 bits. */
const MAX_RSA_BITS = 16384;
/** A public key of a supported type; made by importSpkiPublicKey or PrivateKey.publicKey. */
export class PublicKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  /** Internal: use importSpkiPublicKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The PKIX SubjectPublicKeyInfo DER, as verifySignature takes it. */
  toSpkiDer(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'spki' })); }
  /** True when both are the same key. */
  equals(other: PublicKey): boolean { return this.#key.equals(other.#key); }
  /**
   * isSignatureValid with this already-parsed key (no second parse of its DER).
   * @throws ERR_CRYPTO_ALGORITHM_NOT_ALLOWED, ERR_CRYPTO_KEY_INVALID
   */
  isSignatureValid(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, allowed: readonly SignatureAlgorithm[]): boolean {
    checkAllowed(algorithm, allowed);
    checkKeyFits(algorithm, this.#key);
    return verifyWithKey(algorithm, this.#key, data, signature);
  }
}

/** A private key of a supported type; made by importPkcs8PrivateKey or generatePrivateKey. */
export class PrivateKey {
  readonly type: KeyType;
  readonly #key: KeyObject;
  readonly #fits = new Set<SignatureAlgorithm>();
  /** Internal: use importPkcs8PrivateKey or generatePrivateKey. */
  constructor(key: KeyObject, type: KeyType) { this.#key = key; this.type = type; }
  /** The matching public key. */
  publicKey(): PublicKey { return new PublicKey(createPublicKey(this.#key), this.type); }
  /** The unencrypted PKCS#8 DER; a secret. */
  toPkcs8Der(): Uint8Array { return toBytes(this.#key.export({ format: 'der', type: 'pkcs8' })); }
  /**
   * Signs `data` under `algorithm` (ECDSA output is ASN.1 DER, as cosign writes it).
   * @throws ERR_CRYPTO_KEY_INVALID when the key does not fit `algorithm`
   */
  sign(algorithm: SignatureAlgorithm, data: Uint8Array): Uint8Array {
    // a log signs with one key and algorithm per entry: check the fit once, and hand node the
    // KeyObject itself (an options wrapper costs a slow key-shape probe on every call)
    if (!this.#fits.has(algorithm)) { checkKeyFits(algorithm, this.#key); this.#fits.add(algorithm); }
    const spec = SIGNATURE_ALGORITHMS[algorithm];
    return toBytes(sign(spec.hash, data, spec.pss ? { key: this.#key, ...paddingOptions(algorithm) } : this.#key));
  }
}

/**
 * Parses an unencrypted PKCS#8 DER private key of a supported type.
 * @throws ERR_KEY_MALFORMED when the DER is not PKCS#8 (a SEC1 or PKCS#1 body is named as such)
 * @throws ERR_KEY_UNSUPPORTED for other key types and curves, or RSA outside 2048–16384 bits
 */
export function importPkcs8PrivateKey(der: Uint8Array): PrivateKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new InputError('ERR_KEY_MALFORMED', `private key is not pkcs#8 der${legacyFormatHint(der)}`, { cause: scrubbed(cause) });
  }
  return new PrivateKey(key, classify(key));
}

/**
 * Parses a PKIX SubjectPublicKeyInfo DER public key of a supported type.
 * @throws ERR_KEY_MALFORMED when the DER does not parse
 * @throws ERR_KEY_UNSUPPORTED for other key types and curves, or RSA outside 2048–16384 bits
 */
export function importSpkiPublicKey(der: Uint8Array): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_KEY_MALFORMED', 'public key is not pkix subjectpublickeyinfo der', { cause: scrubbed(cause) });
  }
  return new PublicKey(key, classify(key));
}

/** Generates a fresh private key of `type` (RSA keys get 3072 bits) from the system's CSPRNG. */
export function generatePrivateKey(type: KeyType): PrivateKey {
  if (type === 'rsa') return new PrivateKey(generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey, type);
  if (type === 'ed25519') return new PrivateKey(generateKeyPairSync('ed25519').privateKey, type);
  return new PrivateKey(generateKeyPairSync('ec', { namedCurve: NODE_CURVES[type] }).privateKey, type);
}

function classify(key: KeyObject): KeyType {
  const kind = key.asymmetricKeyType ?? 'unknown';
  if (kind === 'ed25519') return 'ed25519';
  if (kind === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    const type = CURVES[curve];
    if (!type) throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported ecdsa curve ${curve}: want P-256, P-384 or P-521`);
    return type;
  }
  if (kind === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported rsa key size ${bits} bits: want ${MIN_RSA_BITS} to ${MAX_RSA_BITS}`);
    }
    return 'rsa';
  }
  throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported key type ${kind}: want ecdsa, rsa or ed25519`);
}

/** Names the legacy format a non-PKCS#8 body looks like, so the message can say what to do. */
function legacyFormatHint(der: Uint8Array): string {
  let kind: string | undefined;
  try {
    // OpenSSL reads either traditional format here, whichever `type` is named
    kind = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'sec1' }).asymmetricKeyType;
  } catch {
    return '';
  }
  if (kind === 'ec') return ' (it is a sec1 "EC PRIVATE KEY")';
  if (kind === 'rsa') return ' (it is a pkcs#1 "RSA PRIVATE KEY")';
  return '';
}

/** OpenSSL's messages name ASN.1 fields, never key bytes; keep only the message as the cause. */
function scrubbed(cause: unknown): Error {
  return new Error(cause instanceof Error ? cause.message : 'unparseable key');
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Scanner block: digests and signature checks for signatures found on disk (signed JARs,
// Authenticode). Those files use older algorithms (SHA-1, MD5) that sigil never signs with, so
// they get their own names here; every check names its algorithm and key type explicitly.
// ---------------------------------------------------------------------------------------------

/** Digest algorithms found in JAR and Authenticode signatures. */
export type LegacyDigestAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** An incremental hasher that returns raw digest bytes. */
export interface ByteHasher {
  update(chunk: Uint8Array): void;
  /** The digest; call once. */
  digest(): Uint8Array;
}

/** Creates an incremental hasher for a legacy-capable digest algorithm. */
export function createByteHasher(algorithm: LegacyDigestAlgorithm): ByteHasher {
  const hash: Hash = createHash(algorithm);
  return {
    update(chunk) { hash.update(chunk); },
    digest() { return new Uint8Array(hash.digest()); },
  };
}

/** One-shot digest of `data` as raw bytes. */
export function digestBytes(algorithm: LegacyDigestAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/** Public-key signature schemes the scanner checks. */
export type SignatureKeyType = 'rsa' | 'ec' | 'dsa';

/** An explicit signature check: key type, digest and DER SubjectPublicKeyInfo. */
export interface SignatureCheck {
  readonly keyType: SignatureKeyType;
  readonly digest: LegacyDigestAlgorithm;
  readonly spkiDer: Uint8Array;
  readonly data: Uint8Array;
  /** PKCS#1 v1.5 for RSA (PSS with `pss`); DER (r,s) for ECDSA and DSA, or raw r||s with `ieeeP1363` */
  readonly signature: Uint8Array;
  /** RSA-PSS with MGF1 over `digest` and a salt as long as the digest (JWS PS256/384/512, COSE PS*) */
  readonly pss?: boolean;
  /** ECDSA signature as the fixed-width r||s of JWS and COSE instead of DER */
  readonly ieeeP1363?: boolean;
}

/** True when the signature verifies and the key really is of `keyType`; false on any mismatch or unreadable key. */
export function isLegacySignatureValid(check: SignatureCheck): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(check.spkiDer), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== check.keyType) return false;
  try {
    const rsa = check.pss === true ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key, padding: constants.RSA_PKCS1_PADDING };
    const options = check.keyType === 'rsa' ? rsa : { key, dsaEncoding: check.ieeeP1363 === true ? 'ieee-p1363' as const : 'der' as const };
    return verify(check.digest, check.data, options, check.signature);
  } catch {
    return false;
  }
}

/** What a DER SPKI public key is: its type, and the raw material a pure-JS verifier needs. */
export type PublicKeyDescription =
  | { readonly keyType: 'ec'; readonly curve: 'P-256' | 'P-384' | 'P-521'; readonly point: Uint8Array }
  | { readonly keyType: 'ed25519'; readonly raw: Uint8Array }
  | { readonly keyType: 'rsa'; readonly modulusBits: number };

const JWK_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };

/**
 * Describes a DER SPKI public key: EC (P-256/384/521, uncompressed point), Ed25519 or RSA.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse or is another key type or curve
 */
export function describePublicKey(spkiDer: Uint8Array): PublicKeyDescription {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return { keyType: 'rsa', modulusBits: key.asymmetricKeyDetails?.modulusLength ?? 0 };
  const jwk = key.export({ format: 'jwk' });
  const bytes = (b64url: string | undefined): Uint8Array => new Uint8Array(Buffer.from(b64url ?? '', 'base64url'));
  if (type === 'ed25519') return { keyType: 'ed25519', raw: bytes(jwk.x) };
  const curve = JWK_CURVES[jwk.crv ?? ''];
  if (type === 'ec' && curve !== undefined) {
    return { keyType: 'ec', curve, point: new Uint8Array([0x04, ...bytes(jwk.x), ...bytes(jwk.y)]) };
  }
  throw new InputError('ERR_CRYPTO_KEY_INVALID', `unsupported public key type ${type ?? 'unknown'}${jwk.crv ? ` ${jwk.crv}` : ''}`);
}

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1), followed by the digest itself.
const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, string>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/**
 * True when `signature` is an RSA PKCS#1 v1.5 signature of the precomputed `digest` under
 * `hash` (Rekor's hashedrekord signs the digest, and node:crypto can only hash itself).
 * @throws ERR_CRYPTO_KEY_INVALID when the key is not an RSA key of at least 2048 bits
 */
export function isRsaDigestSignatureValid(spkiDer: Uint8Array, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  const key = parsePublicKey('rsa-pkcs1v15-sha256', spkiDer);
  let decoded: Buffer;
  try {
    decoded = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return decoded.toString('hex') === DIGEST_INFO_PREFIX[hash] + Buffer.from(digest).toString('hex');
}

/**
 * The DER SPKI re-encoded by the platform (as Go's MarshalPKIXPublicKey would), so equal keys
 * have equal bytes.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse
 */
export function normalizeSpki(spkiDer: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' }));
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
}

/**
 * True when the DER certificate `certDer` names `issuerDer` as its issuer and its signature
 * verifies with the issuer's key (chain linkage only: no validity period or constraints).
 */
export function isCertificateIssuedBy(certDer: Uint8Array, issuerDer: Uint8Array): boolean {
  const issuedBy = createIssuerCheck(issuerDer);
  return issuedBy !== undefined && issuedBy(certDer);
}

/**
 * isCertificateIssuedBy for one issuer and many certificates: the issuer and its key are parsed
 * once (a pure function of its bytes). Undefined when `issuerDer` is not a certificate.
 */
export function createIssuerCheck(issuerDer: Uint8Array): ((certDer: Uint8Array) => boolean) | undefined {
  let issuer: X509Certificate;
  let key: KeyObject;
  try {
    issuer = new X509Certificate(Buffer.from(issuerDer));
    key = issuer.publicKey;
  } catch {
    return undefined;
  }
  return (certDer) => {
    try {
      const cert = new X509Certificate(Buffer.from(certDer));
      return cert.checkIssued(issuer) && cert.verify(key);
    } catch {
      return false;
    }
  };
}

/** A DER key pair. */
export interface DerKeyPair {
  readonly pkcs8Der: Uint8Array;
  readonly spkiDer: Uint8Array;
}

/** Generates a fresh ECDSA P-256 key pair (the log's and the CA's key type). */
export function generateP256KeyPair(): DerKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    pkcs8Der: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
    spkiDer: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
}

/**
 * The DER SPKI public key of a DER PKCS#8 private key.
 * @throws ERR_CRYPTO_KEY_INVALID when the private key does not parse
 */
export function publicKeyOfPrivate(pkcs8Der: Uint8Array): Uint8Array {
  try {
    const key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
    return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `private key is not DER PKCS#8 (${pkcs8Der.byteLength} bytes)`, { cause });
  }
}

const ECDH_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/**
 * A function giving the uncompressed SEC 1 point scalar·G on `curve`, computed by the platform
 * (OpenSSL's fixed-base multiplication, far faster than big-integer JS); it reuses one context,
 * so make one for a run of multiplications. Requires 0 < scalar < n, as big-endian bytes of the
 * curve's scalar length.
 * @throws ERR_INPUT_INVALID (from the function) when a scalar is out of range
 */
export function createBasePointMultiplier(curve: 'P-256' | 'P-384' | 'P-521'): (scalar: Uint8Array) => Uint8Array {
  const ecdh = createECDH(ECDH_CURVES[curve]);
  return (scalar) => {
    try {
      ecdh.setPrivateKey(scalar);
    } catch (cause) {
      throw new InputError('ERR_INPUT_INVALID', `scalar is not in [1, n) for ${curve}`, { cause });
    }
    return new Uint8Array(ecdh.getPublicKey());
  };
}

/**
 * True when the ASN.1 DER ECDSA `signature` over `data` with SHA-256 verifies under the DER SPKI
 * EC key: the lean path of ecdsa-digest.ts, whose caller built the SPKI itself (curve fixed).
 * @throws ERR_CRYPTO_KEY_INVALID when the key does not parse or is not an EC key
 */
export function isEcdsaSha256SignatureValid(spkiDer: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  if (key.asymmetricKeyType !== 'ec') throw new InputError('ERR_CRYPTO_KEY_INVALID', `a ${key.asymmetricKeyType ?? 'unknown'} key is not an EC key`);
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/** A public key parsed once for many verifications (an opaque node:crypto key). */
export interface VerificationKey {
  /** `ec`, `ed25519` or `rsa` */
  readonly keyType: string;
  readonly key: KeyObject;
}

/**
 * Parses a DER SPKI public key once, checking it (node validates EC points) for repeated use with
 * {@link isSignatureValidWithKey}.
 * @throws ERR_CRYPTO_KEY_INVALID when it does not parse
 */
export function importVerificationKey(spkiDer: Uint8Array): VerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer.buffer, spkiDer.byteOffset, spkiDer.byteLength), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `public key is not a DER SubjectPublicKeyInfo (${spkiDer.byteLength} bytes)`, { cause });
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  // the details are only needed (and not free to read) for RSA's size floor
  const bits = keyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : undefined;
  if (bits !== undefined && bits < MIN_RSA_BITS) {
    throw new InputError('ERR_CRYPTO_KEY_INVALID', `an rsa key of ${bits} bits is below the ${MIN_RSA_BITS}-bit minimum`);
  }
  return { keyType, key };
}

/**
 * The public key of a DER certificate, parsed once by node:crypto's X509Certificate: for a
 * certificate's key this is cheaper than importing its SubjectPublicKeyInfo (OpenSSL's SPKI
 * decoder costs more, and so does the key's first use), with the same checks (an EC point must lie
 * on its curve; RSA at least 2048 bits). Undefined when node cannot read the certificate or its
 * key: the caller then imports the SPKI with {@link importVerificationKey}, which names the problem.
 */
export function importCertificateVerificationKey(certDer: Uint8Array): VerificationKey | undefined {
  let key: KeyObject;
  try {
    key = new X509Certificate(Buffer.from(certDer.buffer, certDer.byteOffset, certDer.byteLength)).publicKey;
  } catch {
    return undefined;
  }
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const bits = keyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength ?? 0 : undefined;
  if (bits !== undefined && bits < MIN_RSA_BITS) return undefined;
  return { keyType, key };
}

/**
 * True when `signature` over `data` verifies with a key from {@link importVerificationKey}: ECDSA
 * (DER signature) over `hash` of the data with any curve, as X.509 pairs them freely; Ed25519 with
 * `hash` null; RSA PKCS#1 v1.5, or PSS with `pss`. Malformed signatures are simply invalid.
 */
export function isSignatureValidWithKey(key: VerificationKey, hash: HashAlgorithm | null, data: Uint8Array, signature: Uint8Array, options: { readonly pss?: boolean } = {}): boolean {
  if ((key.keyType === 'ed25519') !== (hash === null)) return false;
  const pss = key.keyType === 'rsa' && options.pss === true;
  try {
    // a bare KeyObject when no options are needed: node's check for one inside an options object is costly
    return verify(hash, data, pss ? { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : key.key, signature);
  } catch {
    return false;
  }
}
