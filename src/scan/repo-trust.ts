/**
 * What `sigil scan repo --verify` judges signatures against: cosign public keys, a Sigstore
 * trusted root (Fulcio CAs and Rekor keys, for keyless signatures and bundles), and a
 * notation-style trust store of CA certificates, optionally with notation's trust policy (for
 * Notary signatures).
 */
import type { Certificate } from '@peculiar/asn1-x509';
import type { SignatureAlgorithm } from '../core/index.ts';
import type { TrustedLogKey, TrustedRoot } from '../verify/index.ts';
import type { NotaryPolicyTrust } from './notary-policy-verify.ts';

/** One trusted public key. */
export interface TrustedKey {
  readonly spkiDer: Uint8Array;
  readonly algorithm: SignatureAlgorithm;
  /** lowercase hex SHA-256 of spkiDer */
  readonly fingerprint: string;
}

/** The trust policy of a registry scan. */
export interface RepoTrust {
  readonly keys: readonly TrustedKey[];
  readonly trustedRoot: TrustedRoot | null;
  /** Notary trust anchors (roots of the `ca` and `signingAuthority` stores) */
  readonly notaryAnchors: readonly Certificate[];
  /** notation's trust policy with its named stores: when given, Notary signatures are judged by it */
  readonly notaryPolicy?: NotaryPolicyTrust | null;
  /** the time certificates must be valid at when no verified time is known */
  readonly now: Date;
}

/** The Rekor keys of a trusted root that sigil can verify with. */
export function listLogKeys(root: TrustedRoot | null): readonly TrustedLogKey[] {
  if (!root) return [];
  return root.tlogs.flatMap((t) => (t.algorithm === null ? [] : [{ spkiDer: t.spkiDer, algorithm: t.algorithm }]));
}
