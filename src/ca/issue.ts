/**
 * Issuing one leaf certificate the way Fulcio does with a CT log (research §4.6): build the TBS,
 * sign a precertificate carrying the poison extension, submit it with the chain to the CT log,
 * then sign the final certificate: the same TBS without the poison, plus the SCT list last.
 * The TBS is serialized once (the precertificate's); the final TBS is those exact bytes with the
 * poison swapped for the SCT list, which is also exactly what the CT log's SCT signed (RFC 6962
 * §3.2: the TBS without the poison).
 */
import type { Clock, Random } from '../core/index.ts';
import { tbsExtensions, withTbsExtensions } from '../core/tbs-extensions.ts';
import type { CertificateIdentity } from './ports.ts';
import { createLeafTbsEncoder } from './leaf-der.ts';
import { toIssuingCertificate, toLeafConstants } from './profile.ts';
import { OID_CT_POISON, poisonExtension, sctListExtension } from './sct-list.ts';
import type { CaSigner, IssuedSct, PrecertificateLogger } from './signing-ports.ts';
import { signTbsDer, toDer, toSerial } from './x509-build.ts';

/** What issuing needs. */
export interface IssuerDeps {
  /** the intermediate's key */
  readonly signer: CaSigner;
  /** intermediate first, root last (DER) */
  readonly chainDer: readonly Uint8Array[];
  readonly logPrecertificate: PrecertificateLogger;
  readonly clock: Clock;
  /** the source of certificate serials */
  readonly random: Random;
}

/** An issued certificate and the chain above it. */
export interface IssuedCertificate {
  readonly certificateDer: Uint8Array;
  /** intermediate first, root last */
  readonly chainDer: readonly Uint8Array[];
  readonly sct: IssuedSct;
}

/** Issues one certificate for an identity and a DER SPKI public key. */
export type CertificateIssuer = (identity: CertificateIdentity, publicKeyDer: Uint8Array) => Promise<IssuedCertificate>;

/**
 * An issuer of ten-minute code-signing certificates for keys the caller has already checked
 * (proof of possession, key type). The CT log is written first; when it fails no certificate
 * exists.
 * @throws (from the issuer) ERR_INPUT_INVALID for an unusable identity; whatever the CT logger throws
 */
export function createCertificateIssuer(deps: IssuerDeps): CertificateIssuer {
  const issuerDer = deps.chainDer[0];
  if (issuerDer === undefined) throw new TypeError('issuing needs the intermediate certificate');
  const encodeLeafTbs = createLeafTbsEncoder(toLeafConstants(toIssuingCertificate(issuerDer)));
  const poison = poisonExtension();
  return async (identity, publicKeyDer) => {
    const fields = { identity, subjectSpkiDer: publicKeyDer, serial: toSerial(deps.random.bytes(20)), notBefore: deps.clock() };
    const precertTbsDer = encodeLeafTbs(fields, [poison]);
    const precertDer = signTbsDer(precertTbsDer, deps.signer);
    const sct = await deps.logPrecertificate([precertDer, ...deps.chainDer]);
    const kept = tbsExtensions(precertTbsDer).filter((e) => e.oid !== OID_CT_POISON).map((e) => e.der);
    const certificateDer = signTbsDer(withTbsExtensions(precertTbsDer, [...kept, toDer(sctListExtension([sct]))]), deps.signer);
    return { certificateDer, chainDer: deps.chainDer, sct };
  };
}

/** Issues one certificate (createCertificateIssuer for a single use). */
export function issueCertificate(deps: IssuerDeps, identity: CertificateIdentity, publicKeyDer: Uint8Array): Promise<IssuedCertificate> {
  return createCertificateIssuer(deps)(identity, publicKeyDer);
}
