/**
 * A lenient SignedData schema (RFC 5652 §5.1) whose certificate and CRL sets are kept as raw DER.
 * @peculiar/asn1-cms's CertificateChoices knows only certificate, v2AttrCert [2] and other [3];
 * real Microsoft RFC 3161 tokens also carry an obsolete v1 attribute certificate [1] (seen in
 * Debian's shimx64.efi.signed), which would fail the whole parse. The caller picks out the X.509
 * certificates and skips the rest, as Windows and OpenSSL's verifiers do.
 */
import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { DigestAlgorithmIdentifiers, EncapsulatedContentInfo, SignerInfos } from '@peculiar/asn1-cms';

/** SET OF ANY, each element as its raw DER. */
export class RawSet extends AsnArray<ArrayBuffer> {}
AsnType({ type: AsnTypeTypes.Set, itemType: AsnPropTypes.Any })(RawSet);

/** SignedData with `certificates` and `crls` as raw DER elements. */
export class LenientSignedData {
  version = 0;
  digestAlgorithms = new DigestAlgorithmIdentifiers();
  encapContentInfo = new EncapsulatedContentInfo();
  certificates?: RawSet;
  crls?: RawSet;
  signerInfos = new SignerInfos();
}
AsnType({ type: AsnTypeTypes.Sequence })(LenientSignedData);
AsnProp({ type: AsnPropTypes.Integer })(LenientSignedData.prototype, 'version');
AsnProp({ type: DigestAlgorithmIdentifiers })(LenientSignedData.prototype, 'digestAlgorithms');
AsnProp({ type: EncapsulatedContentInfo })(LenientSignedData.prototype, 'encapContentInfo');
AsnProp({ type: RawSet, context: 0, implicit: true, optional: true })(LenientSignedData.prototype, 'certificates');
AsnProp({ type: RawSet, context: 1, implicit: true, optional: true })(LenientSignedData.prototype, 'crls');
AsnProp({ type: SignerInfos })(LenientSignedData.prototype, 'signerInfos');
