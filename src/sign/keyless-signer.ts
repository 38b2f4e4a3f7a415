/**
 * A keyless signer: an ephemeral key whose certificate the CA issues for the identity in an OIDC
 * token (Fulcio's flow). The proof of possession is the key's signature over the token's subject
 * (email, else sub); with `useCsr` a PKCS#10 request carries the proof instead.
 */
import { UpstreamError, decodePem, encodeUtf8, importSpkiPublicKey, type PrivateKey, type PublicKey } from '../core/index.ts';
import { children, readOnly, whole } from '../core/der.ts';
import { tbsOfCertificate } from '../core/tbs-extensions.ts';
import { parseIdentityToken, type IdentityTokenClaims } from './identity-token.ts';
import { createKeySigner, type KeySigner } from './key-signer.ts';
import type { CertificateAuthority, CertificateRequest } from './ports.ts';

/** A key signer that also holds the certificate the CA issued for its key. */
export interface KeylessSigner extends KeySigner {
  /** the leaf certificate, PEM (with a trailing newline) */
  readonly certificatePem: string;
  readonly certificateDer: Uint8Array;
  /** the rest of the chain (intermediates, then the root) as concatenated PEM; may be empty */
  readonly chainPem: string;
  /** what the token said, as the signer read it */
  readonly identity: IdentityTokenClaims;
  /** true when the CA embedded the SCT in the certificate */
  readonly sctEmbedded: boolean;
}

/** What a keyless signer needs. */
export interface KeylessSignerDeps {
  readonly ca: CertificateAuthority;
  /** the ephemeral ECDSA P-256 key, made fresh by the caller for this signing */
  readonly key: PrivateKey;
  /** ask with a certificate signing request instead of a public key and proof of possession */
  readonly useCsr?: boolean;
}

/** The leaf's SPKI DER, sliced from its exact DER (the CSR and X.509 schemas load only when needed). */
function spkiOfCertificate(der: Uint8Array): Uint8Array {
  try {
    const tbsDer = tbsOfCertificate(der);
    const fields = children(tbsDer, readOnly(tbsDer));
    // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, subjectPublicKeyInfo
    const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
    if (spki?.tag !== 0x30) throw new TypeError('no subjectPublicKeyInfo');
    return whole(tbsDer, spki);
  } catch (cause) {
    throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', 'the certificate authority answered a leaf that is not der x.509', { cause });
  }
}

/** True when the SPKI is the signer's key (a key that does not even parse is not). */
function isKeyOf(spkiDer: Uint8Array, key: PublicKey): boolean {
  try {
    return importSpkiPublicKey(spkiDer).equals(key);
  } catch {
    return false;
  }
}

/**
 * Gets a certificate for `deps.key` from the CA and returns a signer holding both.
 * @throws ERR_KEYLESS_TOKEN_MALFORMED before contacting the CA; ERR_FULCIO_*, ERR_HTTP_*,
 *   ERR_NETWORK from the CA; ERR_KEYLESS_CERTIFICATE_MISMATCH when the leaf is for another key
 */
export async function createKeylessSigner(identityToken: string, deps: KeylessSignerDeps): Promise<KeylessSigner> {
  const identity = parseIdentityToken(identityToken);
  const signer = createKeySigner(deps.key, { algorithm: 'ecdsa-p256-sha256' });
  const request: CertificateRequest = deps.useCsr === true
    ? { kind: 'csr', csrPem: (await import('./csr.ts')).createCertificateRequestPem(deps.key) }
    : { kind: 'public-key', publicKeyPem: signer.publicKeyPem, proofOfPossession: signer.sign(encodeUtf8(identity.subject)) };
  const issued = await deps.ca.requestCertificate(identityToken.trim(), request);
  const [leafPem = '', ...rest] = issued.chainPem;
  const certificateDer = decodePem(leafPem)[0]?.der ?? new Uint8Array();
  if (!isKeyOf(spkiOfCertificate(certificateDer), signer.publicKey)) {
    throw new UpstreamError('ERR_KEYLESS_CERTIFICATE_MISMATCH', `the certificate authority at ${deps.ca.baseUrl} issued a certificate for another public key`);
  }
  return { ...signer, certificatePem: leafPem, certificateDer, chainPem: rest.join(''), identity, sctEmbedded: issued.sctEmbedded };
}
