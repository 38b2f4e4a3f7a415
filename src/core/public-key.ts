/**
 * Public keys in PEM: the `PUBLIC KEY` (PKIX SubjectPublicKeyInfo) files cosign writes as
 * cosign.pub and reads with `verify --key`.
 */
import { InputError } from './errors.ts';
import { decodePem, encodePem } from './pem.ts';
import { importSpkiPublicKey, type PublicKey } from './crypto.ts';

/** The PEM label of a public key file. */
export const PUBLIC_KEY_PEM_LABEL = 'PUBLIC KEY';

/**
 * Parses the first PEM block of `text` as a public key of a supported type.
 * @throws ERR_KEY_MALFORMED when the text is not PEM or the DER does not parse
 * @throws ERR_KEY_UNSUPPORTED for another PEM type, or an unsupported key type
 */
export function parsePublicKeyPem(text: string): PublicKey {
  const block = decodePem(text);
  if (block.label !== PUBLIC_KEY_PEM_LABEL) {
    throw new InputError('ERR_KEY_UNSUPPORTED', `unsupported pem type ${JSON.stringify(block.label)}: want ${JSON.stringify(PUBLIC_KEY_PEM_LABEL)}`);
  }
  return importSpkiPublicKey(block.der);
}

/** Encodes `key` as cosign.pub does: PEM `PUBLIC KEY`, 64-column lines, trailing newline. */
export function encodePublicKeyPem(key: PublicKey): string {
  return encodePem(PUBLIC_KEY_PEM_LABEL, key.toSpkiDer());
}
