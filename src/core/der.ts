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

/** The decimal value of `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i += 1) {
    const d = (bytes[i] ?? 0) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** A UTCTime or GeneralizedTime in DER form (`…Z`, whole seconds). @throws ERR_CERT_INVALID */
export function timeOf(bytes: Uint8Array, tlv: Tlv): Date {
  // UTCTime YYMMDDHHMMSSZ (13 bytes), GeneralizedTime YYYYMMDDHHMMSSZ (15 bytes)
  const yearDigits = tlv.tag === 0x17 ? 2 : tlv.tag === 0x18 ? 4 : 0;
  const at = tlv.contentStart;
  if (yearDigits === 0 || tlv.end - at !== yearDigits + 11 || bytes[tlv.end - 1] !== 0x5a) throw bad('expected a DER UTCTime or GeneralizedTime');
  const y = digits(bytes, at, yearDigits);
  const n = [0, 2, 4, 6, 8].map((k) => digits(bytes, at + yearDigits + k, 2)) as [number, number, number, number, number];
  if (y < 0 || n.some((v) => v < 0)) throw bad('expected a DER UTCTime or GeneralizedTime');
  const year = yearDigits === 2 ? (y < 50 ? 2000 + y : 1900 + y) : y;
  const date = new Date(Date.UTC(year, n[0] - 1, n[1], n[2], n[3], n[4]));
  if (date.getUTCMonth() !== n[0] - 1 || date.getUTCDate() !== n[1] || n[2] > 23 || n[3] > 59 || n[4] > 59) throw bad('invalid calendar time');
  return date;
}

/** Encodes a DER length header for `length` content bytes after `tag`. */
export function header(tag: number, length: number): Uint8Array {
  if (length < 0x80) return new Uint8Array([tag, length]);
  const octets: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return new Uint8Array([tag, 0x80 | octets.length, ...octets]);
}
