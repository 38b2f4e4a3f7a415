/**
 * PEM (RFC 7468) encoding and decoding, written the way Go's encoding/pem writes it: 64-column
 * base64 lines and a trailing newline, so files match cosign's byte for byte.
 */
import { InputError } from './errors.ts';

/** An input-kind error code a PEM decoding failure is reported with. */
export type PemErrorCode = ConstructorParameters<typeof InputError>[0];

/** One decoded PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BEGIN = /-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[\x21-\x2c\x2e-\x7e -]*[\x21-\x2c\x2e-\x7e])?)-----/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
/** A generous bound on PEM text: RSA-4096 keys are about 3.3 KiB; this refuses pathological input. */
const MAX_PEM_CHARS = 256 * 1024;

/**
 * Decodes the first PEM block in `text`; text around the block is ignored, as Go's pem.Decode does.
 * Requires no headers (RFC 1421 `Proc-Type:` blocks are refused) and strict base64.
 * @throws `code` (default ERR_KEY_MALFORMED) when there is no well-formed block
 */
export function decodePem(text: string, code: PemErrorCode = 'ERR_KEY_MALFORMED'): PemBlock {
  const malformed = (message: string): InputError => new InputError(code, message);
  if (text.length > MAX_PEM_CHARS) throw malformed(`pem text longer than ${MAX_PEM_CHARS} characters`);
  const begin = BEGIN.exec(text);
  if (!begin) throw malformed('no pem block found');
  const label = begin[1] ?? '';
  const endMarker = `-----END ${label}-----`;
  const bodyStart = begin.index + begin[0].length;
  const end = text.indexOf(endMarker, bodyStart);
  if (end < 0) throw malformed(`pem block ${label} has no end line`);
  const lines = text.slice(bodyStart, end).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.some((l) => l.includes(':'))) throw malformed(`pem block ${label} has headers, which sigil does not accept`);
  const body = lines.join('');
  if (!BASE64_LINE.test(body) || body.length % 4 !== 0 || body.length === 0) {
    throw malformed(`pem block ${label} is not valid base64`);
  }
  return { label, der: new Uint8Array(Buffer.from(body, 'base64')) };
}

/** Encodes `der` as a PEM block with `label`: 64-column lines and a trailing newline, like Go's pem.EncodeToMemory. */
export function encodePem(label: string, der: Uint8Array): string {
  const body = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}-----END ${label}-----\n`;
}
