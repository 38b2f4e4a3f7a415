/**
 * Certificate chain linkage: does a certificate name an issuer, and verify with its key
 * (node:crypto's X509Certificate; no validity period or constraints).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

/**
 * True when the DER certificate `certDer` names `issuerDer` as its issuer and its signature
 * verifies with the issuer's key (chain linkage only: no validity period or constraints).
 */
export function isCertificateIssuedBy(certDer: Uint8Array, issuerDer: Uint8Array): boolean {
  const issuedBy = createIssuerCheck(issuerDer);
  return issuedBy !== undefined && issuedBy(certDer);
}

/**
 * isCertificateIssuedBy for one issuer and many certificates: the issuer and its key are parsed
 * once (a pure function of its bytes). Undefined when `issuerDer` is not a certificate.
 */
export function createIssuerCheck(issuerDer: Uint8Array): ((certDer: Uint8Array) => boolean) | undefined {
  let issuer: X509Certificate;
  let key: KeyObject;
  try {
    issuer = new X509Certificate(Buffer.from(issuerDer));
    key = issuer.publicKey;
  } catch {
    return undefined;
  }
  return (certDer) => {
    try {
      const cert = new X509Certificate(Buffer.from(certDer));
      return cert.checkIssued(issuer) && cert.verify(key);
    } catch {
      return false;
    }
  };
}
