/**
 * OCI content digests (`algorithm:encoded`), per the OCI image-spec descriptor grammar.
 */
import { InputError } from './errors.ts';
import { createHasher, hashHex, type HashAlgorithm, type Hasher } from './crypto/index.ts';

/** A parsed, validated digest. */
export interface Digest {
  readonly algorithm: 'sha256' | 'sha512';
  readonly hex: string;
  /** the canonical string form `algorithm:hex` */
  readonly value: string;
}

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;
const DIGEST_PATTERN = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;
// the form nearly every digest takes, checked in one pass before the general grammar
const SHA256_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses `algorithm:hex` for the registered algorithms sha256 and sha512.
 * @throws ERR_OCI_DIGEST_INVALID for any other form
 */
export function parseDigest(text: string): Digest {
  if (SHA256_PATTERN.test(text)) return { algorithm: 'sha256', hex: text.slice(7), value: text };
  const match = DIGEST_PATTERN.exec(text);
  const algorithm = match?.[1];
  const hex = match?.[2] ?? '';
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new InputError('ERR_OCI_DIGEST_INVALID', `invalid digest ${JSON.stringify(text.slice(0, 100))}: want sha256:<64 hex> or sha512:<128 hex>`);
  }
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) {
    throw new InputError('ERR_OCI_DIGEST_INVALID', `invalid digest ${JSON.stringify(text.slice(0, 100))}: ${algorithm} wants ${HEX_LENGTH[algorithm]} lowercase hex characters`);
  }
  return { algorithm, hex, value: text };
}

/** True when `text` parses as a digest (checked without throwing: tags are tested on every request). */
export function isDigest(text: string): boolean {
  if (SHA256_PATTERN.test(text)) return true;
  const match = DIGEST_PATTERN.exec(text);
  const algorithm = match?.[1];
  const hex = match?.[2] ?? '';
  return (algorithm === 'sha256' || algorithm === 'sha512') && hex.length === HEX_LENGTH[algorithm] && /^[0-9a-f]+$/.test(hex);
}

/** The sha256 digest string of `data`. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${hashHex('sha256', data)}`;
}

/** The digest string of `data` under `algorithm`. */
export function computeDigest(algorithm: Digest['algorithm'], data: Uint8Array): string {
  return `${algorithm}:${hashHex(algorithm, data)}`;
}

/** An incremental digester that also counts bytes. */
export interface Digester {
  update(chunk: Uint8Array): void;
  readonly sizeBytes: number;
  /** `algorithm:hex`; call once at the end. */
  digest(): string;
}

/** Creates an incremental digester for `algorithm`. */
export function createDigester(algorithm: HashAlgorithm & Digest['algorithm']): Digester {
  const hasher: Hasher = createHasher(algorithm);
  let size = 0;
  return {
    update(chunk) { size += chunk.byteLength; hasher.update(chunk); },
    get sizeBytes() { return size; },
    digest() { return `${algorithm}:${hasher.digestHex()}`; },
  };
}
