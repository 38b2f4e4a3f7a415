/**
 * OIDC claims → certificate identity, per Fulcio issuer type (pkg/identity/*): the SAN, the
 * issuer extensions, the CI extensions .1.9 onwards (and the deprecated .1.2–.1.6), and the
 * challenge the proof of possession signs. Pure: the token was verified before it gets here.
 */
import { InputError, AuthError } from '../core/index.ts';
import { evaluateClaimTemplate } from './claim-template.ts';
import { OID_TOKEN_SUBJECT } from './extension-fields.ts';
import { ciMetadataFor, type CiMetadata, type IssuerConfig } from './issuer-config.ts';
import type { CertificateIdentity, IdentityExtension, IssuerEntry, VerifiedToken } from './ports.ts';

function invalid(message: string): never {
  throw new InputError('ERR_OIDC_IDENTITY_INVALID', message);
}

function stringClaim(claims: VerifiedToken['claims'], name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads a `$.a.b` path (Fulcio's IssuerClaim) from the claims. */
function claimAtPath(claims: VerifiedToken['claims'], path: string): string | undefined {
  let cur: unknown = claims;
  for (const part of path.slice(2).split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' && cur !== '' ? cur : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The email of an `email` token, refusing unverified or malformed ones (Fulcio pkg/identity/email).
 * @throws ERR_OIDC_EMAIL_UNVERIFIED when `email` is absent or `email_verified` is not true (unless the issuer skips the check)
 */
export function verifiedEmail(claims: VerifiedToken['claims'], entry: Pick<IssuerEntry, 'skipEmailVerification'>): string {
  const email = stringClaim(claims, 'email');
  if (email === undefined) throw new AuthError('ERR_OIDC_EMAIL_UNVERIFIED', 'the token has no email claim');
  if (entry.skipEmailVerification !== true && claims['email_verified'] !== true) {
    throw new AuthError('ERR_OIDC_EMAIL_UNVERIFIED', `the email ${email} is not verified (email_verified is not true)`);
  }
  if (!EMAIL.test(email)) throw new AuthError('ERR_OIDC_EMAIL_UNVERIFIED', `the email claim ${JSON.stringify(email)} is not an email address`);
  return email;
}

/** Fulcio's claims → strings for templates: strings as is, numbers and booleans printed. */
function templateData(claims: VerifiedToken['claims'], defaults: ReadonlyMap<string, string>): Map<string, string> {
  const data = new Map(defaults);
  for (const [k, v] of Object.entries(claims)) {
    if (typeof v === 'string') data.set(k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') data.set(k, String(v));
  }
  return data;
}

function ciIdentity(token: VerifiedToken, meta: CiMetadata): { san: string; extensions: IdentityExtension[]; legacy: IdentityExtension[] } {
  const data = templateData(token.claims, meta.defaults);
  const san = evaluateClaimTemplate(meta.subjectAlternativeName, data, token.issuer);
  if (!/^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(san)) invalid(`the subject alternative name ${JSON.stringify(san)} is not a URI`);
  const extensions: IdentityExtension[] = [];
  const legacy: IdentityExtension[] = [];
  for (const ext of meta.extensions) {
    let value: string;
    if (ext.template !== undefined) value = evaluateClaimTemplate(ext.template, data, token.issuer);
    else {
      const v = data.get(ext.value);
      if (v === undefined) invalid(`value <${ext.value}> not present in either claims or defaults; issuer: ${token.issuer}`);
      value = v;
    }
    // Fulcio's Extensions.Render skips empty values
    if (value === '') continue;
    (ext.field.legacy ? legacy : extensions).push({ oid: ext.field.oid, value });
  }
  return { san, extensions, legacy };
}

function uriSubject(token: VerifiedToken, entry: IssuerEntry): string {
  const sub = token.subject;
  if (EMAIL.test(sub)) invalid(`uri subject ${JSON.stringify(sub)} looks like an email`);
  const subject = parseUrl(sub, 'subject');
  const domain = parseUrl(entry.subjectDomain ?? '', 'SubjectDomain');
  if (subject.protocol !== domain.protocol) invalid(`subject ${sub} must use the scheme of ${entry.subjectDomain}`);
  if (!sameRegisteredDomain(subject.hostname, domain.hostname)) invalid(`subject ${sub} is outside the subject domain ${entry.subjectDomain}`);
  return sub;
}

function parseUrl(text: string, what: string): URL {
  try { return new URL(text); } catch { return invalid(`${what} ${JSON.stringify(text)} is not a URL`); }
}

// Fulcio's validateAllowedDomain: both host names end in the same two labels
function sameRegisteredDomain(a: string, b: string): boolean {
  const tail = (h: string): string[] => h.split('.').slice(-2);
  const ta = tail(a);
  const tb = tail(b);
  return ta.length === 2 && tb.length === 2 && ta[0] === tb[0] && ta[1] === tb[1];
}

function spiffeSubject(token: VerifiedToken, entry: IssuerEntry): string {
  const m = /^spiffe:\/\/([a-z0-9._-]+)(\/[^\s?#]*)?$/.exec(token.subject);
  if (!m) invalid(`subject ${JSON.stringify(token.subject)} is not a SPIFFE ID`);
  if (m[1] !== entry.spiffeTrustDomain) invalid(`SPIFFE ID ${token.subject} is not in the trust domain ${entry.spiffeTrustDomain}`);
  return token.subject;
}

function kubernetesSubject(token: VerifiedToken): string {
  const k8s = token.claims['kubernetes.io'];
  const obj = typeof k8s === 'object' && k8s !== null ? (k8s as Record<string, unknown>) : {};
  const sa = typeof obj['serviceaccount'] === 'object' && obj['serviceaccount'] !== null ? (obj['serviceaccount'] as Record<string, unknown>) : {};
  const ns = obj['namespace'];
  const name = sa['name'];
  if (typeof ns !== 'string' || typeof name !== 'string' || ns === '' || name === '') invalid('the token has no kubernetes.io namespace and service account name');
  return `https://kubernetes.io/namespaces/${ns}/serviceaccounts/${name}`;
}

/**
 * The challenge the proof of possession must sign (Fulcio's principal name): the verified email
 * for `email` issuers (and for Chainguard tokens that carry an email, as cosign's subject rule
 * reads them), else `sub`, unless the issuer's `ChallengeClaim` names another claim.
 * @throws ERR_OIDC_EMAIL_UNVERIFIED, ERR_OIDC_IDENTITY_INVALID when the claim is missing
 */
export function challengeSubject(token: VerifiedToken, entry: IssuerEntry): string {
  if (entry.challengeClaim !== undefined) {
    if (entry.challengeClaim === 'email' && entry.type === 'email') return verifiedEmail(token.claims, entry);
    return stringClaim(token.claims, entry.challengeClaim) ?? invalid(`the token has no ${entry.challengeClaim} claim to challenge`);
  }
  if (entry.type === 'chainguard-identity' && token.claims['email'] !== undefined) return verifiedEmail(token.claims, entry);
  return entry.type === 'email' ? verifiedEmail(token.claims, entry) : token.subject;
}

/** Chainguard's SAN: the issuer URL with the subject joined onto its path (Go's url.JoinPath). */
function chainguardSubject(token: VerifiedToken): string {
  const base = parseUrl(token.issuer, 'issuer');
  const segments = [...base.pathname.split('/'), ...token.subject.split('/')].filter((s) => s !== '' && s !== '.');
  const path: string[] = [];
  for (const s of segments) if (s === '..') path.pop(); else path.push(s);
  base.pathname = `/${path.join('/')}`;
  return base.href;
}

/**
 * Builds the certificate identity of a verified token under the configuration its issuer matched.
 * @throws ERR_OIDC_ISSUER_UNKNOWN when the configuration does not know `token.issuer`;
 *   ERR_OIDC_EMAIL_UNVERIFIED; ERR_OIDC_IDENTITY_INVALID when the claims do not fit the issuer type
 */
export function identityFromToken(token: VerifiedToken, config: IssuerConfig): CertificateIdentity {
  const entry = config.findIssuer(token.issuer);
  if (entry === undefined) throw new AuthError('ERR_OIDC_ISSUER_UNKNOWN', `the issuer ${token.issuer} is not configured`);
  const challenge = challengeSubject(token, entry);
  const subjectExt: IdentityExtension[] = [{ oid: OID_TOKEN_SUBJECT, value: token.subject }];
  const plain = (kind: 'email' | 'uri' | 'other-name', value: string, issuer = token.issuer): CertificateIdentity => ({
    san: { kind, value }, issuer, extensions: subjectExt, legacyExtensions: [], challenge,
  });
  switch (entry.type) {
    case 'email': {
      const issuer = entry.issuerClaim === undefined ? token.issuer : claimAtPath(token.claims, entry.issuerClaim) ?? invalid(`the token has no ${entry.issuerClaim} claim`);
      return plain('email', verifiedEmail(token.claims, entry), issuer);
    }
    case 'uri': return plain('uri', uriSubject(token, entry));
    case 'spiffe': return plain('uri', spiffeSubject(token, entry));
    case 'kubernetes': return plain('uri', kubernetesSubject(token));
    case 'chainguard-identity': return plain('uri', chainguardSubject(token));
    case 'username': {
      if (token.subject.includes('!') || EMAIL.test(token.subject)) invalid(`username ${JSON.stringify(token.subject)} must not contain ! or look like an email`);
      return plain('other-name', `${token.subject}!${entry.subjectDomain ?? ''}`);
    }
    case 'github-workflow': case 'gitlab-pipeline': case 'buildkite-job': case 'codefresh-workflow': case 'ci-provider': {
      const meta = ciMetadataFor(config, entry) ?? invalid(`no CI metadata for issuer ${token.issuer}`);
      const ci = ciIdentity(token, meta);
      return { san: { kind: 'uri', value: ci.san }, issuer: token.issuer, extensions: [...ci.extensions, ...subjectExt], legacyExtensions: ci.legacy, challenge };
    }
  }
}
