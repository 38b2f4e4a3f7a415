/**
 * Keys in PEM: the first block of a key file, and the `PUBLIC KEY` (PKIX SubjectPublicKeyInfo)
 * files cosign writes as cosign.pub and reads with `verify --key`.
 */
import { InputError, isAppError } from './errors.ts';
import { decodePem, encodePem, type PemBlock } from './pem.ts';
import { importSpkiPublicKey, type PublicKey } from './crypto/index.ts';

/** The PEM label of a public key file. */
export const PUBLIC_KEY_PEM_LABEL = 'PUBLIC KEY';

/** Key files are a few KiB (RSA-4096 about 3.3 KiB); longer text is refused before parsing. */
const MAX_KEY_PEM_CHARS = 256 * 1024;

/**
 * Decodes the first PEM block of a key's text; text around it is ignored, as Go's pem.Decode does.
 * @throws ERR_KEY_MALFORMED when there is no well-formed block, or the text is too long to be a key
 */
export function decodeKeyPem(text: string): PemBlock {
  if (text.length > MAX_KEY_PEM_CHARS) throw new InputError('ERR_KEY_MALFORMED', `key text is longer than ${MAX_KEY_PEM_CHARS} characters`);
  let blocks: readonly PemBlock[];
  try {
    blocks = decodePem(text);
  } catch (cause) {
    if (!isAppError(cause)) throw cause;
    throw new InputError('ERR_KEY_MALFORMED', `key is not pem: ${cause.message}`, { cause });
  }
  const first = blocks[0];
  if (!first || first.der.byteLength === 0) throw new InputError('ERR_KEY_MALFORMED', 'key pem block is empty');
  return first;
}

/**
 * Parses the first PEM block of `text` as a public key of a supported type.
 * @throws ERR_KEY_MALFORMED when the text is not PEM or the DER does not parse
 * @throws ERR_KEY_UNSUPPORTED for another PEM type, or an unsupported key type
 */
export function parsePublicKeyPem(text: string): PublicKey {
  const block = decodeKeyPem(text);
  if (block.label !== PUBLIC_KEY_PEM_LABEL) {
    throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported pem type ${JSON.stringify(block.label)}: want ${JSON.stringify(PUBLIC_KEY_PEM_LABEL)}`);
  }
  return importSpkiPublicKey(block.der);
}

/** Encodes `key` as cosign.pub does: PEM `PUBLIC KEY`, 64-column lines, trailing newline. */
export function encodePublicKeyPem(key: PublicKey): string {
  return encodePem(PUBLIC_KEY_PEM_LABEL, key.toSpkiDer());
}
