/**
 * What `sign`, `attest` and `sign-blob` share before they sign: refusing keyless flags beside
 * `--key`, and settling the signer (a key, or keyless: token, certificate, optionally checked
 * against --trusted-root) and the log before anything is written to a registry, so a bad key,
 * token or CA fails first.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../core/index.ts';
import type { RekorClient } from '../adapters/http-clients/rekor-client.ts';
import type { KeySigner, KeylessSigner } from '../sign/index.ts';
import type { CliIo } from './io.ts';
import type { KeylessFlags } from './keyless.ts';
import { loadSignerFromKeyRef } from './key-loader.ts';
import { loadKeyCertificate, type KeyCertificate } from './key-certificate.ts';
import { resolveUploadLog } from './rekor.ts';

/** The keyless flags every signing command refuses beside `--key`. */
const KEYLESS_ONLY = ['identityToken', 'fulcioUrl', 'signingConfig', 'outputCertificate', 'fulcioCsr'] as const;

/** The flags the signer setup reads. */
export type SignerFlags = KeylessFlags & {
  readonly key?: string | undefined;
  readonly tlogUpload: boolean;
  readonly trustedRoot?: string | undefined;
  readonly outputCertificate?: string | undefined;
  readonly fulcioCsr?: boolean | undefined;
  /** a bring-your-own certificate for --key (cosign's --certificate), and its chain */
  readonly certificate?: string | undefined;
  readonly certificateChain?: string | undefined;
};

/**
 * Refuses keyless flags given with `--key` (`also`: more flags the command treats as keyless).
 * @throws ERR_USAGE naming them
 */
export function refuseKeylessFlagsWithKey(opts: Readonly<Record<string, unknown>>, also: readonly string[] = []): void {
  if (opts['key'] === undefined) return;
  const given = [...KEYLESS_ONLY, ...also].filter((k) => opts[k] !== undefined);
  if (given.length > 0) throw new UsageError('ERR_USAGE', `--key cannot be combined with the keyless flags (${given.join(', ')})`);
}

const isGiven = (value: string | undefined): boolean => value !== undefined && value !== '';

/** The signer and where it logs. */
export interface PreparedSigner {
  readonly signer: KeySigner | KeylessSigner;
  readonly keyless?: KeylessSigner;
  readonly rekor?: RekorClient;
  /** with --key and --certificate: the certificate stored with the signature and logged instead of the key */
  readonly keyCertificate?: KeyCertificate;
}

/** The message when a Sigstore bundle is asked for without a log. */
export const BUNDLE_NEEDS_LOG = 'a Sigstore bundle needs a transparency log entry: give --rekor-url (or a signing config naming one) and keep --tlog-upload';

/**
 * Settles the signer and the log. Keyless: `checkCertificate` checks the certificate against
 * --trusted-root while it is issued (a token or CA failure is still reported first);
 * `bundleNeedsLog` refuses, before the CA is asked, when no log is configured.
 * @throws key errors, ERR_KEYLESS_*, ERR_FULCIO_*, ERR_CONFIG_INVALID, ERR_USAGE
 */
export async function prepareSigner(io: CliIo, opts: SignerFlags, options: { readonly checkCertificate: boolean; readonly bundleNeedsLog?: boolean }): Promise<PreparedSigner> {
  if (opts.key !== undefined) {
    const signer = await loadSignerFromKeyRef(opts.key, io);
    const keyCertificate = await loadKeyCertificate(io, signer, opts.certificate, opts.certificateChain);
    const rekor = resolveUploadLog(io, opts.tlogUpload, opts.rekorUrl);
    return { signer, ...(rekor ? { rekor } : {}), ...(keyCertificate ? { keyCertificate } : {}) };
  }
  if (isGiven(opts.certificate) || isGiven(opts.certificateChain)) throw new UsageError('ERR_USAGE', '--certificate and --certificate-chain are the certificate of a --key; keyless signing gets its certificate from the CA');
  // the keyless path's token, CA, certificate and bundle code loads only when it runs
  const [{ obtainKeylessSigner, resolveKeylessServices }, { startCertificateCheck }] = await Promise.all([import('./keyless.ts'), import('./keyless-check.ts')]);
  const services = await resolveKeylessServices(io, opts);
  if (options.bundleNeedsLog === true && (!opts.tlogUpload || !services.rekorUrl)) throw new UsageError('ERR_USAGE', BUNDLE_NEEDS_LOG);
  const check = opts.trustedRoot && options.checkCertificate ? startCertificateCheck(io, opts.trustedRoot) : undefined;
  const keyless = await obtainKeylessSigner(io, opts, services.fulcioUrl);
  if (check) (await check)(keyless);
  if (opts.outputCertificate) await writeFile(resolve(io.cwd, opts.outputCertificate), keyless.certificatePem);
  const rekor = resolveUploadLog(io, opts.tlogUpload, services.rekorUrl);
  return { signer: keyless, keyless, ...(rekor ? { rekor } : {}) };
}
