/**
 * JSON bytes as Go's encoding/json writes them, for byte-identical cosign objects: compact, keys
 * in the order the caller gives (Go writes struct fields in declaration order and map keys
 * sorted), and `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c` and so on.
 */
import { encodeUtf8 } from '../core/index.ts';

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** Serializes like Go's json.Marshal; requires plain data (no undefined inside arrays). */
export function encodeGoJson(value: unknown): Uint8Array {
  return encodeUtf8(toGoJsonString(value));
}

/** The string form of encodeGoJson. */
export function toGoJsonString(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/** A copy of a string map with keys sorted, as Go marshals a map[string]string. */
export function sortedStringMap(map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key] ?? '';
  return out;
}
