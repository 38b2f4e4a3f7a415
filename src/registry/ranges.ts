/**
 * The Range-like headers of the distribution-spec: upload `Content-Range: <start>-<end>` and
 * `Range: <start>-<end>` answers, and blob `Range: bytes=<start>-<end>` requests (RFC 9110 §14).
 */
import { InputError } from '../core/index.ts';
import type { ByteRange } from './ports.ts';

/**
 * Parses an upload chunk's `Content-Range` (`start-end`, inclusive; `bytes ` prefix tolerated).
 * @throws ERR_OCI_UPLOAD_INVALID when malformed
 */
export function parseContentRange(value: string): ByteRange {
  const m = /^(?:bytes[ =])?(\d{1,15})-(\d{1,15})(?:\/(?:\d+|\*))?$/.exec(value.trim());
  if (!m) throw new InputError('ERR_OCI_UPLOAD_INVALID', `invalid content-range ${JSON.stringify(value.slice(0, 60))}: want <start>-<end>`);
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) throw new InputError('ERR_OCI_UPLOAD_INVALID', `invalid content-range ${value}: end before start`);
  return { start, end };
}

/** The `Range` header value reporting `sizeBytes` received so far (`0-0` when empty, as distribution does). */
export function formatUploadRange(sizeBytes: number): string {
  return `0-${Math.max(0, sizeBytes - 1)}`;
}

/**
 * Reads one satisfiable `bytes=` range of a blob of `sizeBytes`; undefined means "send it all"
 * (no header, several ranges, or an unsatisfiable one: RFC 9110 lets a server ignore Range).
 */
export function parseBlobRange(value: string | undefined, sizeBytes: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Math.min(Number(m[2]), sizeBytes);
    return suffix === 0 ? undefined : { start: sizeBytes - suffix, end: sizeBytes - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? sizeBytes - 1 : Math.min(Number(m[2]), sizeBytes - 1);
  return start > end || start >= sizeBytes ? undefined : { start, end };
}
