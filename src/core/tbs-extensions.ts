/**
 * Editing the extension list of a DER TBSCertificate (RFC 5280 §4.1) without re-encoding the rest:
 * RFC 6962 §3.1–3.2 define a precertificate's logged TBS as the final TBS with the poison or the
 * SCT list removed, so the CA and the CT log splice extensions in and out of the exact bytes. The
 * other fields are copied byte for byte; only the three enclosing headers are rebuilt.
 */
import { children, contents, header, oidOf, readOnly, whole, type Tlv } from './der.ts';
import { concatBytes } from './bytes.ts';
import { VerificationError } from './errors.ts';

/** One extension of a TBS: its OID, criticality and exact DER (the whole Extension SEQUENCE). */
export interface TbsExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly der: Uint8Array;
}

const TAG_SEQUENCE = 0x30;
const TAG_EXTENSIONS = 0xa3;

function invalid(message: string): VerificationError {
  return new VerificationError('ERR_CERT_INVALID', message);
}

/**
 * The exact TBSCertificate bytes of a DER certificate (SEQUENCE { tbs, algorithm, signature }).
 * @throws ERR_CERT_INVALID when `certDer` is not shaped as a certificate
 */
export function tbsOfCertificate(certDer: Uint8Array): Uint8Array {
  const cert = readOnly(certDer);
  const parts = cert.tag === TAG_SEQUENCE ? children(certDer, cert) : [];
  const tbs = parts[0];
  if (parts.length !== 3 || tbs?.tag !== TAG_SEQUENCE) throw invalid('not a certificate: expected SEQUENCE { tbsCertificate, signatureAlgorithm, signature }');
  return whole(certDer, tbs);
}

function extensionList(tbsDer: Uint8Array): { tbs: Tlv; wrapper: Tlv | undefined; list: Tlv | undefined } {
  const tbs = readOnly(tbsDer);
  if (tbs.tag !== TAG_SEQUENCE) throw invalid('a TBSCertificate is a SEQUENCE');
  const fields = children(tbsDer, tbs);
  const wrapper = fields.find((f) => f.tag === TAG_EXTENSIONS);
  if (wrapper === undefined) return { tbs, wrapper, list: undefined };
  if (wrapper !== fields[fields.length - 1]) throw invalid('the extensions are not the last field of the TBSCertificate');
  const [list, ...rest] = children(tbsDer, wrapper);
  if (list?.tag !== TAG_SEQUENCE || rest.length > 0) throw invalid('extensions are not one SEQUENCE');
  return { tbs, wrapper, list };
}

/**
 * The extensions of a DER TBSCertificate, in order (none without [3]).
 * @throws ERR_CERT_INVALID for malformed DER or an extension not shaped {oid, critical?, OCTET STRING}
 */
export function tbsExtensions(tbsDer: Uint8Array): TbsExtension[] {
  const { list } = extensionList(tbsDer);
  if (list === undefined) return [];
  return children(tbsDer, list).map((ext) => {
    const parts = ext.tag === TAG_SEQUENCE ? children(tbsDer, ext) : [];
    const [oid, second, third] = parts;
    const flag = parts.length === 3 ? second : undefined;
    const value = parts.length === 3 ? third : second;
    if (oid === undefined || value?.tag !== 0x04 || parts.length > 3 || (flag !== undefined && (flag.tag !== 0x01 || flag.end - flag.contentStart !== 1))) {
      throw invalid('an extension is not {oid, critical?, octet string}');
    }
    return { oid: oidOf(tbsDer, oid), critical: flag !== undefined && contents(tbsDer, flag)[0] === 0xff, der: whole(tbsDer, ext) };
  });
}

/**
 * The TBSCertificate with its extension list replaced by `extensionsDer` (whole Extension
 * SEQUENCEs, in order; none drops the [3] field, as Go's encoder does); every other field is kept
 * byte for byte. Requires a TBS that has an extension list.
 * @throws ERR_CERT_INVALID for malformed DER or a TBS without extensions
 */
export function withTbsExtensions(tbsDer: Uint8Array, extensionsDer: readonly Uint8Array[]): Uint8Array {
  const { tbs, wrapper } = extensionList(tbsDer);
  if (wrapper === undefined) throw invalid('the TBSCertificate has no extension list to replace');
  const before = tbsDer.subarray(tbs.contentStart, wrapper.start);
  let inner = before;
  if (extensionsDer.length > 0) {
    const body = concatBytes(extensionsDer);
    const list = concatBytes([header(TAG_SEQUENCE, body.byteLength), body]);
    inner = concatBytes([before, header(TAG_EXTENSIONS, list.byteLength), list]);
  }
  return concatBytes([header(TAG_SEQUENCE, inner.byteLength), inner]);
}
