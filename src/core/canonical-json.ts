/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), as Rekor uses for entry bodies and SETs.
 * ECMAScript's JSON.stringify already serializes strings and numbers the way RFC 8785 §3.2.2
 * requires; JCS adds key sorting by UTF-16 code units (§3.2.3) and no whitespace.
 */
import { InputError } from './errors.ts';
import { encodeUtf8 } from './bytes.ts';

/** The canonical JSON text of `value`; requires plain JSON data. @throws ERR_INPUT_INVALID */
export function canonicalizeJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InputError('ERR_INPUT_INVALID', `cannot canonicalize the number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalizeJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalizeJson(v)}`).join(',')}}`;
  }
  throw new InputError('ERR_INPUT_INVALID', `cannot canonicalize a value of type ${typeof value}`);
}

/** The canonical JSON bytes (UTF-8) of `value`. @throws ERR_INPUT_INVALID */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encodeUtf8(canonicalizeJson(value));
}
