/**
 * A strict DER reader for the hot paths of certificate verification, issuing and CT logging: it slices the exact bytes of
 * each element (no re-encoding) and refuses anything DER forbids that matters here (indefinite or
 * non-minimal lengths, elements overrunning their parent, trailing bytes). It reads structure
 * only; @peculiar/asn1-* stays the parser of record for everything else.
 */
import { VerificationError } from './errors.ts';

/** One element: its tag byte and where its header and contents lie in the buffer. */
export interface Tlv {
  readonly tag: number;
  /** offset of the tag byte */
  readonly start: number;
  /** offset of the first content byte */
  readonly contentStart: number;
  /** offset just past the contents */
  readonly end: number;
}

function bad(message: string): VerificationError {
  return new VerificationError('ERR_CERT_INVALID', `malformed DER: ${message}`);
}

/** Reads the element at `offset`, which must end by `limit`. @throws ERR_CERT_INVALID */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.byteLength): Tlv {
  if (offset + 2 > limit) throw bad('truncated header');
  const tag = bytes[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw bad('high tag numbers are not used here');
  const first = bytes[offset + 1] ?? 0;
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw bad('indefinite or oversized length');
    if (offset + 2 + count > limit) throw bad('truncated length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[offset + 2 + i] ?? 0);
    if (length < 0x80 || (bytes[offset + 2] ?? 0) === 0) throw bad('non-minimal length');
    header += count;
  }
  const end = offset + header + length;
  if (end > limit) throw bad('element overruns its container');
  return { tag, start: offset, contentStart: offset + header, end };
}

/** The children of a constructed element, which must exactly fill it. @throws ERR_CERT_INVALID */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw bad(`tag 0x${parent.tag.toString(16)} is not constructed`);
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end;) {
    const child = readTlv(bytes, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The whole input as one element, with no trailing bytes. @throws ERR_CERT_INVALID */
export function readOnly(bytes: Uint8Array): Tlv {
  const tlv = readTlv(bytes, 0);
  if (tlv.end !== bytes.byteLength) throw bad('trailing bytes');
  return tlv;
}

/** The bytes of the element including its header. */
export function whole(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** The contents of the element. */
export function contents(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/** An OBJECT IDENTIFIER's dotted form. @throws ERR_CERT_INVALID */
export function oidOf(bytes: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== 0x06 || tlv.end === tlv.contentStart) throw bad('expected an object identifier');
  const parts: number[] = [];
  let value = 0;
  for (let i = tlv.contentStart; i < tlv.end; i += 1) {
    const b = bytes[i] ?? 0;
    if (value === 0 && b === 0x80) throw bad('non-minimal oid arc');
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw bad('oid arc too large');
    if ((b & 0x80) === 0) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    } else if (i === tlv.end - 1) throw bad('truncated oid');
  }
  return parts.join('.');
}

/** A UTCTime or GeneralizedTime in DER form (`…Z`, whole seconds). @throws ERR_CERT_INVALID */
export function timeOf(bytes: Uint8Array, tlv: Tlv): Date {
  const text = String.fromCharCode(...contents(bytes, tlv));
  const m = tlv.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : tlv.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!m) throw bad('expected a DER UTCTime or GeneralizedTime');
  const n = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = tlv.tag === 0x17 ? (n[0] < 50 ? 2000 + n[0] : 1900 + n[0]) : n[0];
  const date = new Date(Date.UTC(year, n[1] - 1, n[2], n[3], n[4], n[5]));
  if (date.getUTCMonth() !== n[1] - 1 || date.getUTCDate() !== n[2] || n[3] > 23 || n[4] > 59 || n[5] > 59) throw bad('invalid calendar time');
  return date;
}

/** Encodes a DER length header for `length` content bytes after `tag`. */
export function header(tag: number, length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([tag, length]);
  const octets: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return new Uint8Array([tag, 0x80 | octets.length, ...octets]);
}
