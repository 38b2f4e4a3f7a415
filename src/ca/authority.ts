/**
 * The CA's own certificates: a self-signed root and an intermediate that issues leaves, shaped
 * as Fulcio's specification recommends (root: certSign + crlSign, CA:TRUE; intermediate: the
 * same with pathlen 0 and EKU codeSigning, since Go verifiers chain EKUs).
 */
import { KeyUsageFlags } from '@peculiar/asn1-x509';
import {
  authorityKeyIdentifierExtension, buildName, buildTbs, caBasicConstraintsExtension, extendedKeyUsageExtension,
  keyUsageExtension, OID_EKU_CODE_SIGNING, signTbs, subjectKeyIdentifierExtension, toSerial, type DistinguishedName,
} from './x509-build.ts';
import type { Random } from '../core/index.ts';
import type { CaSigner } from './signing-ports.ts';

/** The subject of the root sigil creates. */
export const ROOT_NAME: DistinguishedName = { organization: 'sigil', commonName: 'sigil-root' };
/** The subject of the intermediate that issues leaves. */
export const INTERMEDIATE_NAME: DistinguishedName = { organization: 'sigil', commonName: 'sigil-intermediate' };

/** The CA certificates live ten years. */
const CA_VALIDITY_MS = 10 * 365 * 24 * 60 * 60 * 1000;

/** Inputs of `createAuthorityCertificates`. */
export interface AuthorityInputs {
  readonly root: CaSigner;
  readonly intermediate: CaSigner;
  readonly now: Date;
  /** the source of the certificate serials */
  readonly random: Random;
}

/** The CA chain, DER. */
export interface AuthorityCertificates {
  readonly rootDer: Uint8Array;
  readonly intermediateDer: Uint8Array;
}

/** Creates the self-signed root and the intermediate it signs, both valid from `now` for ten years. */
export function createAuthorityCertificates(inputs: AuthorityInputs): AuthorityCertificates {
  const notAfter = new Date(inputs.now.getTime() + CA_VALIDITY_MS);
  const caUsage = keyUsageExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign);
  const rootTbs = buildTbs({
    serial: toSerial(inputs.random.bytes(20)), issuer: buildName(ROOT_NAME), subject: buildName(ROOT_NAME),
    notBefore: inputs.now, notAfter, subjectSpki: inputs.root.spkiDer,
    extensions: [caUsage, caBasicConstraintsExtension(1), subjectKeyIdentifierExtension(inputs.root.spkiDer)],
  });
  const intermediateTbs = buildTbs({
    serial: toSerial(inputs.random.bytes(20)), issuer: buildName(ROOT_NAME), subject: buildName(INTERMEDIATE_NAME),
    notBefore: inputs.now, notAfter, subjectSpki: inputs.intermediate.spkiDer,
    extensions: [
      caUsage, extendedKeyUsageExtension([OID_EKU_CODE_SIGNING]), caBasicConstraintsExtension(0),
      subjectKeyIdentifierExtension(inputs.intermediate.spkiDer), authorityKeyIdentifierExtension(inputs.root.spkiDer),
    ],
  });
  return { rootDer: signTbs(rootTbs, inputs.root), intermediateDer: signTbs(intermediateTbs, inputs.root) };
}

