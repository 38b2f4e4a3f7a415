/**
 * `sigil sign --new-bundle-format` for one manifest, as cosign 3 signs an image: a DSSE envelope
 * over an in-toto Statement v1 (the digest as subject, predicate type
 * https://sigstore.dev/cosign/sign/v1), a dsse entry in the log with the certificate as
 * verifier, then the Sigstore bundle v0.3 pushed as an OCI 1.1 referrer of the manifest.
 */
import { decodeHex } from '../../core/index.ts';
import {
  COSIGN_SIGN_PREDICATE_TYPE, IN_TOTO_PAYLOAD_TYPE, createDsseProposal, createImageSignStatement, encodeBundleV03, encodeDssePae, encodeDsseEnvelope,
} from '../../bundle/index.ts';
import type { Descriptor, Reference } from '../../oci/index.ts';
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import { writeBundleReferrer } from '../../adapters/signature-store/index.ts';
import type { KeylessSigner } from '../../sign/index.ts';
import type { CliIo } from '../io.ts';
import { checkBundleAgainstTrustedRoot } from '../keyless-check.ts';
import { uploadToLog } from '../rekor.ts';
import type { SignedManifest } from './sign-run.ts';

/** One manifest to sign into a bundle referrer. */
export interface BundleTarget {
  readonly client: RegistryClient;
  readonly ref: Reference;
  readonly target: Descriptor;
  readonly keyless: KeylessSigner;
  readonly rekor: RekorClient;
  readonly annotations: Readonly<Record<string, string>>;
  readonly upload: boolean;
  /** verify the bundle against this trusted_root.json before pushing it */
  readonly trustedRoot?: string;
}

/**
 * Signs, logs and (with upload) pushes the bundle; nothing is pushed when logging or the check fails.
 * @throws log, registry and (with trustedRoot) verification errors
 */
export async function signWithBundle(io: CliIo, t: BundleTarget): Promise<SignedManifest> {
  const digestHex = t.target.digest.slice('sha256:'.length);
  const statement = createImageSignStatement(digestHex, t.annotations);
  const signature = t.keyless.sign(encodeDssePae(IN_TOTO_PAYLOAD_TYPE, statement));
  const envelope = encodeDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, statement, signature);
  const entry = await uploadToLog(io, t.rekor, createDsseProposal(envelope, t.keyless.certificatePem));
  const bundleJson = encodeBundleV03({
    certificateDer: t.keyless.certificateDer, tlogEntry: entry,
    content: { kind: 'dsse', payloadType: IN_TOTO_PAYLOAD_TYPE, payload: statement, signature },
  });
  if (t.trustedRoot) {
    await checkBundleAgainstTrustedRoot(io, t.trustedRoot, bundleJson, { kind: 'digest', algorithm: 'sha256', digest: decodeHex(digestHex) }, t.keyless);
  }
  const reference = `${t.ref.registry === 'docker.io' ? 'index.docker.io' : t.ref.registry}/${t.ref.repository}@${t.target.digest}`;
  const tlogEntry = { logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId };
  if (!t.upload) return { reference, digest: t.target.digest, uploaded: false, tlogEntry };
  io.stderr.write(`Pushing signature to: ${reference.slice(0, reference.lastIndexOf('@'))}\n`);
  const written = await writeBundleReferrer(t.client, t.ref, {
    subject: t.target, bundle: new TextEncoder().encode(bundleJson), content: 'dsse-envelope', predicateType: COSIGN_SIGN_PREDICATE_TYPE, created: new Date(),
  });
  return { reference, digest: t.target.digest, uploaded: true, location: written.location, signatureManifestDigest: written.manifestDigest, layers: 1, alreadyPresent: false, tlogEntry };
}
