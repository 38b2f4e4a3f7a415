/** The work of `sigil sign-bundle`, loaded only when the command runs. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError, decodeHex, decodeUtf8, hashBytes, type Digest } from '../../core/index.ts';
import {
  IN_TOTO_PAYLOAD_TYPE, createDsseProposal, createHashedRekordProposal, encodeBundleV03, encodeDssePae, encodeDsseEnvelope, type BundleContentInput,
} from '../../bundle/index.ts';
import type { ArtifactInput } from '../../verify/index.ts';
import type { CliIo } from '../io.ts';
import { readInputFile } from '../input-file.ts';
import { checkBundleAgainstTrustedRoot } from '../keyless-check.ts';
import { obtainKeylessSigner, resolveKeylessServices } from '../keyless.ts';
import { createCliRekorClient, uploadToLog } from '../rekor.ts';
import type { SignBundleOptions } from './sign-bundle.ts';

/** What `sigil sign-bundle --output json` prints. */
export interface SignBundleResult {
  readonly bundle: string;
  readonly content: 'message-signature' | 'dsse-envelope';
  readonly tlogEntry: { readonly logIndex: number; readonly uuid: string };
  readonly certificate: { readonly subject: string; readonly issuer: string };
}

/** The first sha256 subject of an in-toto statement: what a verifier of the bundle names as artifact. */
function firstSubjectDigest(statement: Uint8Array): ArtifactInput {
  let json: unknown;
  try { json = JSON.parse(decodeUtf8(statement)); } catch { throw new InputError('ERR_INPUT_INVALID', 'the --in-toto file is not json'); }
  const subjects = typeof json === 'object' && json !== null && 'subject' in json && Array.isArray(json.subject) ? json.subject as unknown[] : [];
  for (const s of subjects) {
    const hex = (s as { digest?: Partial<Record<Digest['algorithm'], unknown>> } | null)?.digest?.sha256;
    if (typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex)) return { kind: 'digest', algorithm: 'sha256', digest: decodeHex(hex) };
  }
  throw new InputError('ERR_INPUT_INVALID', 'the --in-toto statement has no subject with a sha256 digest');
}

/**
 * Signs the file keyless, logs it, and writes the bundle (checked against --trusted-root first).
 * @throws ERR_USAGE for --staging without a signing config; token, CA and log errors
 */
export async function runSignBundle(io: CliIo, file: string, opts: SignBundleOptions): Promise<SignBundleResult> {
  if (opts.staging === true && opts.signingConfig === undefined) {
    throw new UsageError('ERR_USAGE', '--staging needs the staging --signing-config and --trusted-root: sigil has no staging services built in');
  }
  const data = await readInputFile(io.cwd, file, 'artifact');
  const artifact: ArtifactInput = opts.inToto === true ? firstSubjectDigest(data) : { kind: 'bytes', data };
  const services = await resolveKeylessServices(io, opts);
  if (!services.rekorUrl) throw new UsageError('ERR_USAGE', 'a Sigstore bundle needs a transparency log: give --signing-config or --rekor-url');
  const signer = await obtainKeylessSigner(io, opts, services.fulcioUrl);
  const rekor = createCliRekorClient(io, services.rekorUrl);
  let content: BundleContentInput;
  let proposal: unknown;
  if (opts.inToto === true) {
    const signature = signer.sign(encodeDssePae(IN_TOTO_PAYLOAD_TYPE, data));
    content = { kind: 'dsse', payloadType: IN_TOTO_PAYLOAD_TYPE, payload: data, signature };
    proposal = createDsseProposal(encodeDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, data, signature), signer.certificatePem);
  } else {
    const signature = signer.sign(data);
    content = { kind: 'message', digestSha256: hashBytes('sha256', data), signature };
    proposal = createHashedRekordProposal(data, Buffer.from(signature).toString('base64'), signer.certificatePem);
  }
  const entry = await uploadToLog(io, rekor, proposal);
  const bundleJson = encodeBundleV03({ certificateDer: signer.certificateDer, tlogEntry: entry, content });
  if (opts.trustedRoot) await checkBundleAgainstTrustedRoot(io, opts.trustedRoot, bundleJson, artifact, signer);
  await writeFile(resolve(io.cwd, opts.bundle), bundleJson);
  io.stderr.write(`Wrote bundle to file ${opts.bundle}\n`);
  return {
    bundle: opts.bundle,
    content: content.kind === 'dsse' ? 'dsse-envelope' : 'message-signature',
    tlogEntry: { logIndex: entry.logIndex, uuid: entry.uuid },
    certificate: { subject: signer.identity.subject, issuer: signer.identity.issuer },
  };
}
