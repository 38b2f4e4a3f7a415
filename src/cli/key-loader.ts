/**
 * Loads keys named by `--key`: reads the file or env:// variable, and asks for a password only
 * when the key is encrypted. What `public-key`, and later `sign` and `sign-blob`, call.
 */
import { AppError, isAppError, type AppErrorOptions, type ErrorCode } from '../core/index.ts';
import { readKeyRef } from '../adapters/key-ref.ts';
import { createPasswordSource } from '../adapters/password.ts';
import type { KeySigner, KeySignerOptions, LoadedPrivateKey } from '../sign/index.ts';
import type { CliIo } from './io.ts';

/**
 * Loads the private key `ref` names (a file path or env://VAR).
 * @throws ERR_FILE_NOT_FOUND, ERR_KEY_ENV_UNSET, ERR_KEY_REF_UNSUPPORTED, ERR_KEY_MALFORMED, ERR_KEY_UNSUPPORTED,
 *   ERR_KEY_PASSWORD_MISSING, ERR_KEY_PASSWORD_WRONG; key errors name the reference in their message
 */
export async function loadPrivateKeyFromRef(ref: string, io: CliIo): Promise<LoadedPrivateKey> {
  const { text, source } = await readKeyRef(ref, io);
  const { decodePrivateKeyPem } = await import('../sign/key-file.ts');
  try {
    return await decodePrivateKeyPem(text, createPasswordSource(io));
  } catch (error) {
    throw nameKeySource(error, source);
  }
}

/**
 * Loads a signer for the private key `ref` names, signing with cosign's algorithm for its type
 * unless `options.algorithm` says otherwise.
 * @throws as loadPrivateKeyFromRef, and ERR_CRYPTO_KEY_INVALID when the algorithm does not fit the key
 */
export async function loadSignerFromKeyRef(ref: string, io: CliIo, options: KeySignerOptions = {}): Promise<KeySigner> {
  const loaded = await loadPrivateKeyFromRef(ref, io);
  const { createKeySigner } = await import('../sign/key-signer.ts');
  return createKeySigner(loaded.key, options);
}

type AppErrorClass = new (code: ErrorCode, message: string, options?: AppErrorOptions) => AppError;

/** Re-raises a key error (same class and code) with the key's name in front; the key's text never appears. */
function nameKeySource(error: unknown, source: string): unknown {
  if (!isAppError(error) || !error.code.startsWith('ERR_KEY_') || error.code === 'ERR_KEY_PASSWORD_MISSING') return error;
  const ErrorClass = error.constructor as AppErrorClass;
  return new ErrorClass(error.code, `${source}: ${error.message}`, { cause: error, details: { ...error.details, key: source } });
}
