/**
 * The embedded SCT list extension (RFC 6962 §3.3): each SCT serialized as TLS
 * `SignedCertificateTimestamp`, the list length-prefixed, the whole wrapped in an OCTET STRING,
 * and that DER is the extension value. And the precertificate poison (§3.1).
 */
import { OctetString } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { concatBytes, InputError } from '../core/index.ts';
import type { IssuedSct } from './signing-ports.ts';
import { buildExtension, toDer } from './x509-build.ts';

/** OID of the embedded SCT list. */
export const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
/** OID of the precertificate poison (critical, value DER NULL). */
export const OID_CT_POISON = '1.3.6.1.4.1.11129.2.4.3';

/** Big-endian unsigned integer of `size` bytes. */
export function encodeUint(value: number | bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt(value);
  for (let i = size - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  if (v !== 0n) throw new InputError('ERR_INPUT_INVALID', `${value} does not fit in ${size} bytes`);
  return out;
}

/** One SCT in its TLS serialization (version v1). */
export function encodeSct(sct: IssuedSct): Uint8Array {
  return concatBytes([
    encodeUint(0, 1), sct.logId, encodeUint(sct.timestampMs, 8),
    encodeUint(sct.extensions.byteLength, 2), sct.extensions, sct.signature,
  ]);
}

/** The SCT list extension (not critical) holding `scts`. */
export function sctListExtension(scts: readonly IssuedSct[]): Extension {
  const items = scts.map((s) => { const e = encodeSct(s); return concatBytes([encodeUint(e.byteLength, 2), e]); });
  const list = concatBytes(items);
  return buildExtension(OID_SCT_LIST, false, toDer(new OctetString(concatBytes([encodeUint(list.byteLength, 2), list]))));
}

/** The poison extension that makes a precertificate unusable as a certificate. */
export function poisonExtension(): Extension {
  return buildExtension(OID_CT_POISON, true, new Uint8Array([0x05, 0x00]));
}
