/** A certificate named by a cosign flag (--certificate): PEM, or the base64 of the PEM. */
import { VerificationError, decodeBase64, decodeUtf8 } from '../core/index.ts';
import type { CliIo } from './io.ts';
import { readInputFile } from './input-file.ts';

/**
 * The certificate file as cosign reads it: PEM, or the base64 of the PEM (cosign sign-blob
 * --output-certificate with its default --b64).
 * @throws ERR_FILE_NOT_FOUND, ERR_CERT_INVALID
 */
export async function readCertificateFile(io: CliIo, path: string): Promise<string> {
  const text = decodeUtf8(await readInputFile(io.cwd, path, 'certificate')).trim();
  if (text.startsWith('-----BEGIN')) return text;
  const invalid = (): VerificationError => new VerificationError('ERR_CERT_INVALID', `the certificate ${path} is neither PEM nor base64 of PEM`);
  const decoded = decodeUtf8(decodeBase64(text, invalid));
  if (!decoded.trim().startsWith('-----BEGIN')) throw invalid();
  return decoded;
}
