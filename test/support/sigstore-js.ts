// sigstore-js as an interop peer, in process: @sigstore/sign signs against a given Fulcio and
// Rekor (its own FulcioSigner, RekorWitness and bundle builders), and @sigstore/verify verifies a
// bundle against a given trusted_root.json, offline, with an identity policy.
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

/** Where sigstore-js signs and with which token. */
export interface SigstoreJsSigning {
  readonly fulcioUrl: string;
  readonly rekorUrl: string;
  readonly token: string;
}

/** Signs `data` with sigstore-js: a message signature bundle, or with `dsse` a DSSE bundle of that payload type. */
export async function signWithSigstoreJs(data: Uint8Array, where: SigstoreJsSigning, dsse?: { payloadType: string }): Promise<unknown> {
  const signer = new FulcioSigner({ fulcioBaseURL: where.fulcioUrl, identityProvider: { getToken: async () => where.token }, timeout: 10_000, retry: 0 });
  const witnesses = [new RekorWitness({ rekorBaseURL: where.rekorUrl, fetchOnConflict: true, timeout: 10_000, retry: 0 })];
  const artifact = { data: Buffer.from(data), ...(dsse ? { type: dsse.payloadType } : {}) };
  const bundle = dsse
    ? await new DSSEBundleBuilder({ signer, witnesses }).create(artifact)
    : await new MessageSignatureBundleBuilder({ signer, witnesses }).create(artifact);
  return bundleToJSON(bundle);
}

/** What @sigstore/verify is asked to check. */
export interface SigstoreJsPolicy {
  readonly identity: string;
  readonly issuer: string;
  /** default 1: an embedded SCT is required */
  readonly ctlogThreshold?: number;
}

/**
 * Verifies a bundle (JSON) over `artifact` (bytes; for a DSSE bundle the in-toto subject's
 * preimage, or omitted to check the envelope alone) against a trusted root. Throws on failure.
 */
export function verifyWithSigstoreJs(bundleJson: unknown, artifact: Uint8Array | undefined, trustedRootJson: unknown, policy: SigstoreJsPolicy): { identity: string | undefined } {
  const trust = toTrustMaterial(TrustedRoot.fromJSON(trustedRootJson));
  const verifier = new Verifier(trust, { ctlogThreshold: policy.ctlogThreshold ?? 1, tlogThreshold: 1 });
  const entity = toSignedEntity(bundleFromJSON(bundleJson), artifact ? Buffer.from(artifact) : undefined);
  const escaped = policy.identity.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const signer = verifier.verify(entity, { subjectAlternativeName: new RegExp(`^${escaped}$`), extensions: { issuer: policy.issuer } });
  return { identity: signer.identity?.subjectAlternativeName };
}
