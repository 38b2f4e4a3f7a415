/**
 * `sigil attest --new-bundle-format` for one manifest, as cosign does with that flag: the DSSE
 * envelope over the statement, a dsse entry in the log, then a Sigstore bundle v0.3 (the
 * certificate keyless, else the key's hint) pushed as an OCI 1.1 referrer of the manifest with the
 * predicate type annotated. Referrers are never rewritten, so concurrent attesters cannot collide.
 */
import { IN_TOTO_PAYLOAD_TYPE, createDsseProposal, encodeBundleV03, encodeDssePae, encodeDsseEnvelope } from '../../bundle/index.ts';
import type { Descriptor, Reference } from '../../oci/index.ts';
import type { RegistryClient } from '../../adapters/registry-client/index.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import { writeBundleReferrer } from '../../adapters/signature-store/index.ts';
import type { KeySigner, KeylessSigner } from '../../sign/index.ts';
import type { CliIo } from '../io.ts';
import { uploadToLog } from '../rekor.ts';

/** One statement to sign into a bundle referrer. */
export interface BundleAttestation {
  readonly client: RegistryClient;
  readonly ref: Reference;
  readonly target: Descriptor;
  readonly signer: KeySigner;
  readonly keyless?: KeylessSigner | undefined;
  readonly rekor: RekorClient;
  readonly statement: Uint8Array;
  readonly predicateType: string;
  readonly upload: boolean;
}

/** What was logged and (with upload) pushed. */
export interface WrittenBundleAttestation {
  readonly tlogEntry: { readonly kind: 'dsse'; readonly logIndex: number; readonly uuid: string; readonly logId: string };
  readonly location?: string;
}

/**
 * Signs, logs and (with upload) pushes the bundle; nothing is pushed when logging fails.
 * @throws log and registry errors
 */
export async function attestWithBundle(io: CliIo, a: BundleAttestation): Promise<WrittenBundleAttestation> {
  const signature = a.signer.sign(encodeDssePae(IN_TOTO_PAYLOAD_TYPE, a.statement));
  const envelope = encodeDsseEnvelope(IN_TOTO_PAYLOAD_TYPE, a.statement, signature);
  const verifierPem = a.keyless ? a.keyless.certificatePem : a.signer.publicKeyPem;
  const entry = await uploadToLog(io, a.rekor, createDsseProposal(envelope, verifierPem));
  const who = a.keyless ? { certificateDer: a.keyless.certificateDer } : { publicKeySpki: a.signer.publicKey.toSpkiDer() };
  const bundleJson = encodeBundleV03({ ...who, tlogEntry: entry, content: { kind: 'dsse', payloadType: IN_TOTO_PAYLOAD_TYPE, payload: a.statement, signature } });
  const tlogEntry = { kind: 'dsse' as const, logIndex: entry.logIndex, uuid: entry.uuid, logId: entry.logId };
  if (!a.upload) return { tlogEntry };
  const written = await writeBundleReferrer(a.client, a.ref, {
    subject: a.target, bundle: new TextEncoder().encode(bundleJson), content: 'dsse-envelope', predicateType: a.predicateType, created: new Date(),
  });
  return { tlogEntry, location: written.location };
}
