/**
 * The certificate identity policy of `verify-bundle` and `verify`, with cosign's semantics:
 * `--certificate-identity` and `--certificate-oidc-issuer` must EQUAL the certificate's value
 * (anchored, whole string; unlike sigstore-js, which accepts a substring); the `-regexp` variants
 * SEARCH the value like Go's `regexp.MatchString`, which cosign uses: the pattern may match
 * anywhere unless it carries `^…$` itself. We keep cosign's unanchored search so that policies
 * written for cosign mean the same here; write `^` and `$` to anchor.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { DirectoryString } from '@peculiar/asn1-x509';
import { decodeUtf8, UsageError, VerificationError } from '../core/index.ts';
import { findExtension, type X509Certificate } from './certificate.ts';
import { isMatch, type CertificateIdentity, type GithubWorkflowPolicy } from './matcher.ts';
import { children, contents, oidOf, readOnly, whole } from './der.ts';

export type { CertificateIdentity, GithubWorkflowPolicy, StringMatcher } from './matcher.ts';
export { createMatcher, isMatch } from './matcher.ts';

/** The legacy GitHub workflow extensions (.1.2 to .1.6, raw string bytes), with cosign's names. */
export const GITHUB_WORKFLOW_EXTENSIONS = [
  { key: 'trigger', oid: '1.3.6.1.4.1.57264.1.2', field: 'githubWorkflowTrigger', label: 'GitHub Workflow Trigger' },
  { key: 'sha', oid: '1.3.6.1.4.1.57264.1.3', field: 'githubWorkflowSha', label: 'GitHub Workflow SHA' },
  { key: 'name', oid: '1.3.6.1.4.1.57264.1.4', field: 'githubWorkflowName', label: 'GitHub Workflow Name' },
  { key: 'repository', oid: '1.3.6.1.4.1.57264.1.5', field: 'githubWorkflowRepository', label: 'GitHub Workflow Repository' },
  { key: 'ref', oid: '1.3.6.1.4.1.57264.1.6', field: 'githubWorkflowRef', label: 'GitHub Workflow Ref' },
] as const;

/** The raw value of each legacy GitHub workflow extension present, by OID. */
export function readGithubWorkflow(cert: X509Certificate): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const ext of GITHUB_WORKFLOW_EXTENSIONS) {
    const found = findExtension(cert, ext.oid);
    if (found) out[ext.oid] = decodeUtf8(found.value);
  }
  return out;
}

/**
 * Checks cosign's GitHub workflow flags: each given value must equal the certificate's extension.
 * @throws ERR_VERIFY_IDENTITY_MISMATCH with cosign's message, e.g. `expected GitHub Workflow Trigger not found in certificate`
 */
export function verifyGithubWorkflow(cert: X509Certificate, want: GithubWorkflowPolicy): void {
  const have = readGithubWorkflow(cert);
  for (const ext of GITHUB_WORKFLOW_EXTENSIONS) {
    const expected = want[ext.key];
    if (expected !== undefined && have[ext.oid] !== expected) {
      throw new VerificationError('ERR_VERIFY_IDENTITY_MISMATCH', `expected ${ext.label} not found in certificate`);
    }
  }
}

/** What identifies a Fulcio certificate's signer. */
export interface FulcioIdentity {
  /** SAN values: URIs, emails and Fulcio username otherNames */
  readonly subjects: readonly string[];
  /** the OIDC issuer (.1.8, else the deprecated .1.1); empty when absent */
  readonly issuer: string;
}

const OID_SAN = '2.5.29.17';
const OID_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const OID_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_OTHERNAME_USERNAME = '1.3.6.1.4.1.57264.1.7';

/** A DirectoryString's text: UTF8String and PrintableString read directly, other choices by asn1-x509. */
function directoryString(der: Uint8Array): string {
  const tlv = readOnly(der);
  if (tlv.tag === 0x0c || tlv.tag === 0x13) return decodeUtf8(contents(der, tlv));
  return AsnConvert.parse(der, DirectoryString).toString();
}

/** URI and email SANs, and Fulcio's username otherName, in certificate order. @throws on malformed DER */
function sanValues(der: Uint8Array): string[] {
  const out: string[] = [];
  for (const name of children(der, readOnly(der))) {
    if (name.tag === 0x86 || name.tag === 0x81) out.push(decodeUtf8(contents(der, name)));
    if (name.tag !== 0xa0) continue;
    const [typeId, value] = children(der, name);
    if (!typeId || value?.tag !== 0xa0 || oidOf(der, typeId) !== OID_OTHERNAME_USERNAME) continue;
    const inner = children(der, value)[0];
    try {
      if (inner) out.push(directoryString(whole(der, inner)));
    } catch {
      // an unreadable username is no identity, as before
    }
  }
  return out;
}

/**
 * Reads the signer identity of a Fulcio certificate.
 * @throws ERR_CERT_INVALID when the SAN or issuer extension is malformed
 */
export function readFulcioIdentity(cert: X509Certificate): FulcioIdentity {
  const subjects: string[] = [];
  const san = findExtension(cert, OID_SAN);
  const v2 = findExtension(cert, OID_ISSUER_V2);
  const v1 = findExtension(cert, OID_ISSUER_V1);
  try {
    if (san) subjects.push(...sanValues(san.value));
    // .1.8 holds a DER UTF8String, the deprecated .1.1 the raw string bytes (research §4.4)
    const issuer = v2 ? directoryString(v2.value) : v1 ? decodeUtf8(v1.value) : '';
    return { subjects, issuer };
  } catch (cause) {
    throw new VerificationError('ERR_CERT_INVALID', 'certificate identity extensions do not parse', { cause });
  }
}

/**
 * Checks that one of `identities` matches the certificate identity.
 * @throws ERR_VERIFY_IDENTITY_MISMATCH with cosign's message
 */
export function verifyIdentity(identity: FulcioIdentity, identities: readonly CertificateIdentity[]): void {
  const ok = identities.some((want) => isMatch(want.issuer, identity.issuer) && identity.subjects.some((s) => isMatch(want.subject, s)));
  if (!ok) {
    throw new VerificationError(
      'ERR_VERIFY_IDENTITY_MISMATCH',
      `none of the expected identities matched what was in the certificate, got subjects [${identity.subjects.join(', ')}] with issuer ${identity.issuer}`,
    );
  }
}
