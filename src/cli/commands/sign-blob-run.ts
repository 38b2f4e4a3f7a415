/** The work of `sigil sign-blob`, loaded only when the command runs. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { encodeBase64, hashHex } from '../../core/index.ts';
import { createHashedRekordProposal, encodeCosignBlobBundle } from '../../bundle/index.ts';
import type { CliIo } from '../io.ts';
import { loadSignerFromKeyRef } from '../key-loader.ts';
import { readInputFile } from '../input-file.ts';
import { resolveUploadLog, uploadToLog } from '../rekor.ts';
import type { SignBlobOptions } from './sign-blob.ts';

/** What `sigil sign-blob --output json` prints. */
export interface SignBlobResult {
  /** base64 of the raw signature */
  readonly signature: string;
  /** sha256:<hex> of the signed file */
  readonly digest: string;
  readonly tlogEntry?: { readonly logIndex: number; readonly uuid: string; readonly logId: string };
}

type RunOptions = Omit<SignBlobOptions, 'tlogUpload'> & { readonly tlogUpload: boolean };

/**
 * Signs the file, logs the signature when a log is configured, and writes the requested files.
 * @throws ERR_FILE_NOT_FOUND, key errors, log errors
 */
export async function runSignBlob(io: CliIo, file: string, opts: RunOptions): Promise<SignBlobResult> {
  const blob = await readInputFile(io.cwd, file, 'file');
  const signer = await loadSignerFromKeyRef(opts.key, io);
  const signature = encodeBase64(signer.sign(blob));
  const rekor = resolveUploadLog(io, opts.tlogUpload, opts.rekorUrl);
  const entry = rekor ? await uploadToLog(io, rekor, createHashedRekordProposal(blob, signature, signer.publicKeyPem)) : undefined;
  if (opts.outputSignature) {
    await writeFile(resolve(io.cwd, opts.outputSignature), signature);
    io.stderr.write(`Signature wrote in the file ${opts.outputSignature}\n`);
  }
  if (opts.bundle) {
    await writeFile(resolve(io.cwd, opts.bundle), encodeCosignBlobBundle(signature, entry), { mode: 0o600 });
    io.stderr.write(`Wrote bundle to file ${opts.bundle}\n`);
  }
  return {
    signature, digest: `sha256:${hashHex('sha256', blob)}`,
    ...(entry ? { tlogEntry: { logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId } } : {}),
  };
}
