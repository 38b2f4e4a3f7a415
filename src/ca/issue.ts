/**
 * Issuing one leaf certificate the way Fulcio does with a CT log (research §4.6): build the TBS,
 * sign a precertificate carrying the poison extension, submit it with the chain to the CT log,
 * then sign the final certificate: the same TBS without the poison, plus the SCT list last.
 */
import { Extensions, TBSCertificate } from '@peculiar/asn1-x509';
import type { Clock, Random } from '../core/index.ts';
import type { CertificateIdentity } from './ports.ts';
import { buildLeafTbs } from './profile.ts';
import { poisonExtension, sctListExtension } from './sct-list.ts';
import type { CaSigner, IssuedSct, PrecertificateLogger } from './signing-ports.ts';
import { signTbs, toSerial } from './x509-build.ts';

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

function withExtensions(tbs: TBSCertificate, extra: ReturnType<typeof poisonExtension>): TBSCertificate {
  return new TBSCertificate({ ...tbs, extensions: new Extensions([...(tbs.extensions ?? []), extra]) });
}

/**
 * Issues a ten-minute code-signing certificate for `identity` and the DER SPKI `publicKeyDer`
 * (already checked by the caller: proof of possession, key type). The CT log is written first;
 * when it fails no certificate exists.
 * @throws ERR_INPUT_INVALID for an unusable identity; whatever the CT logger throws
 */
export async function issueCertificate(deps: IssuerDeps, identity: CertificateIdentity, publicKeyDer: Uint8Array): Promise<IssuedCertificate> {
  const issuerDer = deps.chainDer[0];
  if (issuerDer === undefined) throw new TypeError('issuing needs the intermediate certificate');
  const tbs = buildLeafTbs({
    identity, subjectSpkiDer: publicKeyDer, serial: toSerial(deps.random.bytes(20)), notBefore: deps.clock(), issuerDer,
  });
  const precertDer = signTbs(withExtensions(tbs, poisonExtension()), deps.signer);
  const sct = await deps.logPrecertificate([precertDer, ...deps.chainDer]);
  const certificateDer = signTbs(withExtensions(tbs, sctListExtension([sct])), deps.signer);
  return { certificateDer, chainDer: deps.chainDer, sct };
}
