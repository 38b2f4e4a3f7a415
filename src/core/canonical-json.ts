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
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    // the objects sigil builds itself usually list their keys in order already: sort only when
    // not; `<` on strings compares UTF-16 code units, as RFC 8785 §3.2.3 asks
    for (let i = 1; i < keys.length; i++) {
      if ((keys[i - 1] as string) > (keys[i] as string)) { keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); break; }
    }
    let out = '';
    for (const k of keys) {
      const v = object[k];
      if (v !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${canonicalizeJson(v)}`;
    }
    return `{${out}}`;
  }
  throw new InputError('ERR_INPUT_INVALID', `cannot canonicalize a value of type ${typeof value}`);
}

/** The canonical JSON bytes (UTF-8) of `value`. @throws ERR_INPUT_INVALID */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encodeUtf8(canonicalizeJson(value));
}
