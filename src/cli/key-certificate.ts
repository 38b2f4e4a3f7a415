/**
 * A bring-your-own certificate beside `--key` (cosign's `--certificate` and `--certificate-chain`):
 * the signing key's certificate from an enterprise CA, stored with the signature in cosign's
 * `dev.sigstore.cosign/certificate` and `dev.sigstore.cosign/chain` annotations and recorded in the
 * log entry instead of the bare key, as cosign does.
 */
import { InputError, UsageError, decodePem, encodePem, equalBytes, isAppError } from '../core/index.ts';
import { parseCertificate, verifyCertificatePath, type X509Certificate } from '../verify/certificate.ts';
import { parsePublicKeyInfo } from '../verify/signature.ts';
import type { KeySigner } from '../sign/index.ts';
import type { CliIo } from './io.ts';
import { readInputFile } from './input-file.ts';

/** The certificate material a key signature carries. */
export interface KeyCertificate {
  /** the leaf, re-encoded as one PEM block (Go's pem.Encode, what cosign writes) */
  readonly certificatePem: string;
  /** the --certificate-chain file as given; without one cosign writes no chain annotation */
  readonly chainPem?: string;
}

const EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const EKU_ANY = '2.5.29.37.0';

function parseOne(der: Uint8Array, what: string): X509Certificate {
  try {
    return parseCertificate(der);
  } catch (cause) {
    throw new InputError('ERR_INPUT_INVALID', `${what} is not an X.509 certificate`, { cause });
  }
}

/** The leaf from a PEM (its first block, which must be a CERTIFICATE) or DER file, as cosign reads --certificate. */
function leafOf(bytes: Uint8Array, path: string): X509Certificate {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.startsWith('-----')) return parseOne(bytes, `--certificate ${path}`);
  const first = decodePem(text)[0];
  if (first?.label !== 'CERTIFICATE') throw new InputError('ERR_INPUT_INVALID', `--certificate ${path}: the PEM block is ${first?.label ?? 'missing'}, not a CERTIFICATE`);
  return parseOne(first.der, `--certificate ${path}`);
}

function chainOf(bytes: Uint8Array, path: string): X509Certificate[] {
  const blocks = decodePem(Buffer.from(bytes).toString('utf8')).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new InputError('ERR_INPUT_INVALID', `--certificate-chain ${path} holds no certificate`);
  return blocks.map((b, i) => parseOne(b.der, `certificate ${i} of --certificate-chain ${path}`));
}

/**
 * cosign's check of a chain at signing: the leaf chains to the chain's last certificate (the root)
 * through the others, every link valid at the leaf's notBefore, and a leaf that names extended key
 * usages names code signing (Go's x509 Verify with ExtKeyUsageCodeSigning).
 */
function verifyChain(leaf: X509Certificate, chain: readonly X509Certificate[], path: string): void {
  const usages = leaf.extendedKeyUsage;
  if (usages !== undefined && !usages.includes(EKU_CODE_SIGNING) && !usages.includes(EKU_ANY)) {
    throw new InputError('ERR_SIGN_CERTIFICATE_CHAIN', `--certificate is not for code signing (extended key usage [${usages.join(', ')}])`);
  }
  try {
    verifyCertificatePath(leaf, chain, leaf.notBefore);
  } catch (cause) {
    if (!isAppError(cause)) throw cause;
    throw new InputError('ERR_SIGN_CERTIFICATE_CHAIN', `--certificate does not chain to the root of --certificate-chain ${path}: ${cause.message}`, { cause });
  }
}

/**
 * Reads `--certificate` (PEM or DER) and `--certificate-chain` (PEM), checks the certificate is for
 * the signer's key and, with a chain, that it chains to the chain's last certificate.
 * @throws ERR_USAGE for a chain without a certificate; ERR_FILE_NOT_FOUND; ERR_INPUT_INVALID for a
 *   file that is not a certificate; ERR_SIGN_CERTIFICATE_KEY_MISMATCH; ERR_SIGN_CERTIFICATE_CHAIN
 */
export async function loadKeyCertificate(io: CliIo, signer: KeySigner, certificatePath: string | undefined, chainPath: string | undefined): Promise<KeyCertificate | undefined> {
  if (certificatePath === undefined || certificatePath === '') {
    if (chainPath !== undefined && chainPath !== '') throw new UsageError('ERR_USAGE', '--certificate-chain needs the leaf: give --certificate too');
    return undefined;
  }
  const leaf = leafOf(await readInputFile(io.cwd, certificatePath, 'certificate'), certificatePath);
  const key = parsePublicKeyInfo(signer.publicKey.toSpkiDer());
  if (leaf.publicKey.kind !== key.kind || !equalBytes(leaf.publicKey.raw, key.raw)) {
    throw new InputError('ERR_SIGN_CERTIFICATE_KEY_MISMATCH', `public key in certificate ${certificatePath} does not match the provided public key`);
  }
  const certificatePem = encodePem('CERTIFICATE', leaf.der);
  if (chainPath === undefined || chainPath === '') return { certificatePem };
  const bytes = await readInputFile(io.cwd, chainPath, 'certificate chain');
  verifyChain(leaf, chainOf(bytes, chainPath), chainPath);
  return { certificatePem, chainPem: Buffer.from(bytes).toString('utf8') };
}
