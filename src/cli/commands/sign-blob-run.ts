/** The work of `sigil sign-blob`, loaded only when the command runs. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, encodeBase64, encodeUtf8, hashBytes, hashHex } from '../../core/index.ts';
import { createHashedRekordProposal, encodeBundleV03, encodeCosignBlobBundle, type RekorLogEntry } from '../../bundle/index.ts';
import type { KeySigner, KeylessSigner } from '../../sign/index.ts';
import type { CliIo } from '../io.ts';
import { loadSignerFromKeyRef } from '../key-loader.ts';
import { readInputFile, readStandardInput } from '../input-file.ts';
import { resolveUploadLog, uploadToLog } from '../rekor.ts';
import type { SignBlobOptions } from './sign-blob.ts';
import { refuseKeylessFlagsWithKey } from '../signer-setup.ts';

/** What `sigil sign-blob --output json` prints. */
export interface SignBlobResult {
  /** base64 of the raw signature */
  readonly signature: string;
  /** sha256:<hex> of the signed file */
  readonly digest: string;
  readonly tlogEntry?: { readonly logIndex: number; readonly uuid: string; readonly logId: string };
  /** keyless: whom the certificate names */
  readonly certificate?: { readonly subject: string; readonly issuer: string };
}

type RunOptions = Omit<SignBlobOptions, 'tlogUpload' | 'b64'> & { readonly tlogUpload: boolean; readonly b64?: boolean };
type LoggedEntry = RekorLogEntry & { readonly signedEntryTimestamp: Uint8Array };

interface Signed {
  readonly signer: KeySigner | KeylessSigner;
  readonly keyless?: KeylessSigner;
  /** the long-lived key, when signing with one */
  readonly key?: KeySigner;
  readonly entry?: LoggedEntry;
}

const NEEDS_LOG = 'a Sigstore bundle needs a transparency log entry: give --rekor-url (or a signing config naming one) and keep --tlog-upload';

function checkFlags(opts: RunOptions): void {
  if (opts.newBundleFormat === true && !opts.bundle) throw new UsageError('ERR_USAGE', '--new-bundle-format writes the bundle named by --bundle, which is missing');
  if (opts.key === undefined) return;
  if (opts.newBundleFormat === true && !opts.tlogUpload) throw new UsageError('ERR_USAGE', NEEDS_LOG);
  refuseKeylessFlagsWithKey(opts);
}

async function signWith(io: CliIo, blob: Uint8Array, opts: RunOptions): Promise<Signed & { readonly signature: string }> {
  if (opts.key !== undefined) {
    const signer = await loadSignerFromKeyRef(opts.key, io);
    const signature = encodeBase64(signer.sign(blob));
    const rekor = resolveUploadLog(io, opts.tlogUpload, opts.rekorUrl);
    if (opts.newBundleFormat === true && !rekor) throw new UsageError('ERR_USAGE', NEEDS_LOG);
    const entry = rekor ? await uploadToLog(io, rekor, createHashedRekordProposal(blob, signature, signer.publicKeyPem)) : undefined;
    return { signer, key: signer, signature, ...(entry ? { entry } : {}) };
  }
  // the keyless path's token, CA and certificate code loads only when it runs
  const [{ obtainKeylessSigner, resolveKeylessServices }, { startCertificateCheck }] = await Promise.all([import('../keyless.ts'), import('../keyless-check.ts')]);
  const services = await resolveKeylessServices(io, opts);
  if (opts.newBundleFormat === true && (!opts.tlogUpload || !services.rekorUrl)) {
    throw new UsageError('ERR_USAGE', NEEDS_LOG);
  }
  // the trust root and its verifier load while the certificate is issued; a token or CA failure is still reported first
  const check = opts.trustedRoot && opts.newBundleFormat !== true ? startCertificateCheck(io, opts.trustedRoot) : undefined;
  const keyless = await obtainKeylessSigner(io, opts, services.fulcioUrl);
  if (check) (await check)(keyless);
  const signature = encodeBase64(keyless.sign(blob));
  const rekor = opts.tlogUpload ? resolveUploadLog(io, true, services.rekorUrl) : undefined;
  const entry = rekor ? await uploadToLog(io, rekor, createHashedRekordProposal(blob, signature, keyless.certificatePem)) : undefined;
  return { signer: keyless, keyless, signature, ...(entry ? { entry } : {}) };
}

/**
 * Signs the file (with a key, or keyless), logs the signature when a log is configured, and
 * writes the requested files. Nothing is written when signing or logging fails.
 * @throws ERR_FILE_NOT_FOUND, key errors, ERR_KEYLESS_*, ERR_FULCIO_*, log errors
 */
export async function runSignBlob(io: CliIo, file: string, opts: RunOptions): Promise<SignBlobResult> {
  checkFlags(opts);
  // cosign's `-`: the blob on standard input
  const blob = file === '-' ? await readStandardInput(io, 'sign-blob -') : await readInputFile(io.cwd, file, 'file');
  const { signature, keyless, key, entry } = await signWith(io, blob, opts);
  let bundleText: string | undefined;
  if (opts.bundle) {
    if (opts.newBundleFormat === true && entry) {
      const content = { kind: 'message', digestSha256: hashBytes('sha256', blob), signature: Buffer.from(signature, 'base64') } as const;
      bundleText = keyless
        ? encodeBundleV03({ certificateDer: keyless.certificateDer, tlogEntry: entry, content })
        : encodeBundleV03({ publicKeySpki: key?.publicKey.toSpkiDer() ?? new Uint8Array(), tlogEntry: entry, content });
      if (opts.trustedRoot && keyless) await (await import('../keyless-check.ts')).checkBundleAgainstTrustedRoot(io, opts.trustedRoot, bundleText, { kind: 'bytes', data: blob }, keyless);
    } else {
      bundleText = encodeCosignBlobBundle(signature, entry, keyless?.certificatePem);
    }
  }
  await writeOutputs(io, opts, signature, keyless, bundleText);
  return {
    signature, digest: `sha256:${hashHex('sha256', blob)}`,
    ...(entry ? { tlogEntry: { logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId } } : {}),
    ...(keyless ? { certificate: { subject: keyless.identity.subject, issuer: keyless.identity.issuer } } : {}),
  };
}

async function writeOutputs(io: CliIo, opts: RunOptions, signature: string, keyless: KeylessSigner | undefined, bundleText: string | undefined): Promise<void> {
  // cosign's --b64=false: the raw signature bytes and the certificate's PEM
  const raw = opts.b64 === false;
  if (opts.outputSignature) {
    await writeFile(resolve(io.cwd, opts.outputSignature), raw ? Buffer.from(signature, 'base64') : signature);
    io.stderr.write(`Signature wrote in the file ${opts.outputSignature}\n`);
  }
  if (opts.outputCertificate && keyless) {
    // cosign 2.5 sign-blob (--b64 by default) writes the base64 of the PEM, as in its bundle's cert
    await writeFile(resolve(io.cwd, opts.outputCertificate), raw ? keyless.certificatePem : encodeBase64(encodeUtf8(keyless.certificatePem)));
    io.stderr.write(`Wrote certificate to file ${opts.outputCertificate}\n`);
  }
  if (opts.bundle && bundleText !== undefined) {
    await writeFile(resolve(io.cwd, opts.bundle), bundleText, { mode: 0o600 });
    io.stderr.write(`Wrote bundle to file ${opts.bundle}\n`);
  }
}
