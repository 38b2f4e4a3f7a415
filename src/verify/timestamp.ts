/**
 * RFC 3161 timestamps as carried in bundles (`rfc3161Timestamps[].signedTimestamp`, a DER
 * TimeStampResp): CMS SignedData (RFC 5652) signature check against the trust root's timestamp
 * authorities, the signer's chain validated at `genTime` (not now: short-lived TSA chains are
 * fine if they were valid then), `genTime` inside the authority's validFor, and the message
 * imprint equal to the hash of the bundle's signature bytes.
 */
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Attribute, SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { TimeStampResp, TSTInfo } from '@peculiar/asn1-tsp';
import { equalBytes, hashBytes, VerificationError } from '../core/index.ts';
import {
  EKU_TIME_STAMPING, hashOfOid, parseCertificate, schemeOfOid, verifyCertificatePath, verifyLeafUsage, type X509Certificate,
} from './certificate.ts';
import { isMessageSignatureValid } from './signature.ts';
import { isWithinValidity, type CertificateAuthority } from './trust-root.ts';

/** A parsed, not yet verified, timestamp token. */
export interface ParsedTimestamp {
  readonly genTime: Date;
  readonly imprintHashOid: string;
  readonly hashedMessage: Uint8Array;
  readonly tstInfoDer: Uint8Array;
  readonly signerInfo: SignerInfo;
  readonly certificates: readonly X509Certificate[];
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

function invalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError('ERR_TSA_INVALID', `timestamp: ${message}`, cause === undefined ? {} : { cause });
}

/**
 * Parses a DER TimeStampResp: status granted, SignedData over a TSTInfo, one signer.
 * @throws ERR_TSA_INVALID
 */
export function parseTimestampResponse(der: Uint8Array): ParsedTimestamp {
  let resp: TimeStampResp;
  let signed: SignedData;
  try {
    resp = AsnConvert.parse(der, TimeStampResp);
    if (!resp.timeStampToken) throw invalid(`status ${resp.status.status} carries no token`);
    if (resp.timeStampToken.contentType !== OID_SIGNED_DATA) throw invalid(`token content type ${resp.timeStampToken.contentType} is not SignedData`);
    signed = AsnConvert.parse(resp.timeStampToken.content, SignedData);
  } catch (cause) {
    throw cause instanceof VerificationError ? cause : invalid('response does not parse as a TimeStampResp', cause);
  }
  if (resp.status.status > 1) throw invalid(`status ${resp.status.status} is not granted`);
  const content = signed.encapContentInfo;
  if (content.eContentType !== OID_TST_INFO || !content.eContent?.single) throw invalid('token does not encapsulate a TSTInfo');
  if (signed.signerInfos.length !== 1 || !signed.signerInfos[0]) throw invalid(`token has ${signed.signerInfos.length} signers, want 1`);
  const tstInfoDer = new Uint8Array(content.eContent.single.buffer);
  let info: TSTInfo;
  try { info = AsnConvert.parse(tstInfoDer, TSTInfo); } catch (cause) { throw invalid('TSTInfo does not parse', cause); }
  // embedded certificates are only candidates for the signer: one that does not parse is skipped
  const certificates = (signed.certificates ?? []).flatMap((c) => {
    try { return c.certificate ? [parseCertificate(new Uint8Array(AsnConvert.serialize(c.certificate)))] : []; } catch { return []; }
  });
  return {
    genTime: info.genTime, imprintHashOid: info.messageImprint.hashAlgorithm.algorithm,
    hashedMessage: new Uint8Array(info.messageImprint.hashedMessage.buffer), tstInfoDer, signerInfo: signed.signerInfos[0], certificates,
  };
}

function attribute(signer: SignerInfo, oid: string): Uint8Array | undefined {
  const values = signer.signedAttrs?.find((a) => a.attrType === oid)?.attrValues;
  return values?.length === 1 && values[0] ? new Uint8Array(values[0]) : undefined;
}

/** `SignedAttributes ::= SET OF Attribute` as a DER SET (asn1-cms only models the [0] IMPLICIT form). */
class SignedAttributes extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, SignedAttributes.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })(SignedAttributes);

/** True when `cert`'s key made the SignerInfo signature over the signed attributes (RFC 5652 §5.4). */
function isSignedBy(token: ParsedTimestamp, cert: X509Certificate): boolean {
  const signer = token.signerInfo;
  if (!signer.signedAttrs) return false;
  // the signature covers the attributes DER-encoded as an explicit SET OF, not as the [0] IMPLICIT field
  const scheme = schemeOfOid(signer.signatureAlgorithm.algorithm) ?? { hash: hashOfOid(signer.digestAlgorithm.algorithm) ?? null };
  try {
    const attrs = new Uint8Array(AsnConvert.serialize(new SignedAttributes(signer.signedAttrs)));
    return isMessageSignatureValid(cert.publicKey, scheme, attrs, new Uint8Array(signer.signature.buffer));
  } catch {
    return false;
  }
}

function checkSignedAttributes(token: ParsedTimestamp): void {
  const hash = hashOfOid(token.signerInfo.digestAlgorithm.algorithm);
  const contentType = attribute(token.signerInfo, OID_CONTENT_TYPE);
  const digest = attribute(token.signerInfo, OID_MESSAGE_DIGEST);
  if (!hash || !contentType || !digest) throw invalid('signed attributes lack a content type or message digest, or use an unknown digest');
  let expected: Uint8Array;
  try { expected = new Uint8Array(AsnConvert.parse(digest, OctetString).buffer); } catch (cause) { throw invalid('message digest attribute is not an OCTET STRING', cause); }
  if (!equalBytes(expected, hashBytes(hash, token.tstInfoDer))) throw invalid('message digest attribute does not match the TSTInfo');
}

function verifyWithAuthority(token: ParsedTimestamp, tsa: CertificateAuthority): void {
  if (!isWithinValidity(tsa.validFor, token.genTime)) throw untrusted(`genTime ${token.genTime.toISOString()} is outside the validity of timestamp authority ${tsa.commonName}`);
  const candidates = [tsa.certChain[0], ...token.certificates].filter((c): c is X509Certificate => c !== undefined);
  const signer = candidates.find((c) => isSignedBy(token, c));
  if (!signer) throw untrusted(`not signed by timestamp authority ${tsa.commonName}`);
  verifyCertificatePath(signer, tsa.certChain, token.genTime);
  verifyLeafUsage(signer, EKU_TIME_STAMPING);
}

function untrusted(message: string): VerificationError {
  return new VerificationError('ERR_TSA_UNTRUSTED', `timestamp: ${message}`);
}

/**
 * Verifies a DER TimeStampResp over `signature` (the bundle's signature bytes) against the trust
 * root's timestamp authorities and returns its verified time.
 * @throws ERR_TSA_INVALID, ERR_TSA_IMPRINT_MISMATCH, ERR_TSA_UNTRUSTED (with the last authority's reason)
 */
export function verifyTimestamp(der: Uint8Array, signature: Uint8Array, authorities: readonly CertificateAuthority[]): Date {
  const token = parseTimestampResponse(der);
  checkSignedAttributes(token);
  const hash = hashOfOid(token.imprintHashOid);
  if (!hash || !equalBytes(hashBytes(hash, signature), token.hashedMessage)) {
    throw new VerificationError('ERR_TSA_IMPRINT_MISMATCH', 'timestamp: message imprint is not the hash of the bundle signature');
  }
  const reasons: string[] = [];
  for (const tsa of authorities) {
    try {
      verifyWithAuthority(token, tsa);
      return token.genTime;
    } catch (error) {
      if (!(error instanceof VerificationError)) throw error;
      reasons.push(error.message);
    }
  }
  throw untrusted(`no trusted timestamp authority verifies the token: [${reasons.join('; ')}]`);
}
