/**
 * The registry scan report model: one entry per tag (and per platform of an index), with the
 * signatures found for it. Renderers read only these types.
 */
import type { Problem } from './report.ts';

/** What kind of signature was found. */
export type RepoSignatureKind = 'cosign' | 'cosign-attestation' | 'sigstore-bundle' | 'notary';

/** Where it was found: cosign's `sha256-<hex>.sig`/`.att` tag, the OCI 1.1 referrers API, or the referrers tag schema. */
export type RepoSignatureSource = 'tag' | 'referrers-api' | 'referrers-tag-schema';

/** Who signed. Only the fields that apply to the signer's kind are non-empty. */
export interface RepoSigner {
  /** key: a bare public key (cosign --key); certificate: a Fulcio-style certificate; x509: a Notary certificate chain */
  readonly type: 'key' | 'certificate' | 'x509' | 'unknown';
  /** lowercase hex SHA-256 of the key's DER SubjectPublicKeyInfo; null when unknown (a key signature no given key verified) */
  readonly keyFingerprint: string | null;
  /** subject alternative names of a Fulcio certificate (email, URI) */
  readonly san: readonly string[];
  /** OIDC issuer of a Fulcio certificate */
  readonly issuer: string;
  /** the leaf certificate's subject DN, RFC 4514 (`CN=…,O=…`) */
  readonly subject: string;
  /** Notary: `io.cncf.notary.x509chain.thumbprint#S256`, lowercase hex SHA-256 of each chain certificate, leaf first */
  readonly thumbprints: readonly string[];
}

/** The leaf certificate's validity. */
export interface CertificateValidity {
  readonly notBefore: string;
  readonly notAfter: string;
}

/** One signature of one manifest. */
export interface RepoSignature {
  readonly kind: RepoSignatureKind;
  /** simplesigning (cosign payload), dsse (attestation), jws / cose (Notary), bundle (Sigstore bundle) */
  readonly envelope: 'simplesigning' | 'dsse' | 'jws' | 'cose' | 'bundle' | 'unknown';
  readonly source: RepoSignatureSource;
  /** the signature manifest's digest */
  readonly manifestDigest: string;
  readonly signer: RepoSigner;
  /** RFC 3339; from the log entry (tlog), a timestamp, or what the signer claims (signer) */
  readonly signingTime: string | null;
  readonly signingTimeSource: 'tlog' | 'signer' | null;
  readonly certificate: CertificateValidity | null;
  /** not-checked without --verify */
  readonly status: 'verified' | 'failed' | 'not-checked';
  readonly problems: readonly Problem[];
}

/** One tag, or one platform manifest of a tag's index. */
export interface RepoEntry {
  /** `repository:tag`, and `repository:tag@os/arch` for a platform of an index */
  readonly path: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string | null;
  readonly mediaType: string | null;
  /** `os/arch[/variant]` for a platform manifest of an index; null for the tag itself */
  readonly platform: string | null;
  readonly signatures: readonly RepoSignature[];
  readonly problems: readonly Problem[];
}

/** A whole registry scan. */
export interface RepoScanReport {
  /** `host[:port]` */
  readonly registry: string;
  /** the namespace prefix scanned, `""` for the whole catalog */
  readonly namespace: string;
  readonly entries: readonly RepoEntry[];
  /** failures above tag level: the catalog, a repository's tag list */
  readonly problems: readonly { readonly repository: string | null; readonly problem: Problem }[];
}

/** An empty signer of `type`, for building one up. */
export function createSigner(type: RepoSigner['type'], fields: Partial<Omit<RepoSigner, 'type'>> = {}): RepoSigner {
  return { type, keyFingerprint: null, san: [], issuer: '', subject: '', thumbprints: [], ...fields };
}

/** Counts the signatures in a registry report. */
export function countRepoSignatures(report: RepoScanReport): number {
  return report.entries.reduce((n, e) => n + e.signatures.length, 0);
}

/** The signer as one line: SAN (issuer), subject DN, or the key fingerprint. */
export function describeRepoSigner(signer: RepoSigner): string {
  if (signer.type === 'certificate' && signer.san.length > 0) return `${signer.san.join(', ')} (${signer.issuer || 'no issuer'})`;
  if (signer.subject !== '') return signer.subject;
  if (signer.keyFingerprint !== null) return `key sha256:${signer.keyFingerprint}`;
  return signer.type === 'key' ? 'Unknown KeyPair' : 'unknown';
}
