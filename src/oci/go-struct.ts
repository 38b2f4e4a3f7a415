/**
 * A JSON value passed through a Go struct the way cosign passes typed predicates (json.Unmarshal
 * into the struct, then json.Marshal): keys matched exactly or case-insensitively, unknown keys
 * dropped, absent fields set to zero values, fields written in declaration order, `omitempty`
 * fields left out when empty, maps sorted, times re-formatted as RFC 3339 with trimmed fractions.
 */
import { InputError, decodeBase64, encodeBase64 } from '../core/index.ts';

/** The Go type of a field. */
export type GoType =
  | 'string' | 'bool' | 'any' | 'time' | 'bytes' | 'string-map' | 'any-map'
  | { readonly struct: readonly GoField[] }
  | { readonly pointer: GoType }
  | { readonly slice: GoType };

/** One struct field: its JSON name, type, and whether it is `omitempty`. */
export type GoField = readonly [name: string, type: GoType, omitEmpty?: 'omitempty'];

function mismatch(where: string, want: string): InputError {
  return new InputError('ERR_ATTEST_PREDICATE_INVALID', `cannot unmarshal into ${where}: want ${want}`);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's lookup: the exact key, else one equal ignoring case. */
function lookup(obj: Obj, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function sortedAny(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedAny);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedAny(v[k])]));
}

/** RFC 3339 as Go's time.Time marshals it: trailing zeros of the fraction dropped, a zero offset as Z. */
function goTime(v: string, where: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  if (!m) throw mismatch(where, 'an RFC 3339 time');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  const zone = m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : m[3];
  return `${m[1]}${fraction ? `.${fraction}` : ''}${zone}`;
}

/** The Go value after unmarshalling `v` into `type` (undefined stands for nil). */
function decode(v: unknown, type: GoType, where: string): unknown {
  if (typeof type === 'object' && 'pointer' in type) return v === null || v === undefined ? undefined : decode(v, type.pointer, where);
  if (type === 'any') return v === null || v === undefined ? undefined : sortedAny(v);
  if (v === null || v === undefined) return typeof type === 'object' && 'struct' in type ? decodeStruct({}, type.struct, where) : zeroOf(type);
  if (type === 'string') { if (typeof v !== 'string') throw mismatch(where, 'a string'); return v; }
  if (type === 'bool') { if (typeof v !== 'boolean') throw mismatch(where, 'a boolean'); return v; }
  if (type === 'time') { if (typeof v !== 'string') throw mismatch(where, 'a time string'); return goTime(v, where); }
  if (type === 'bytes') { if (typeof v !== 'string') throw mismatch(where, 'base64'); return encodeBase64(decodeBase64(v, () => mismatch(where, 'base64'))); }
  if (type === 'string-map' || type === 'any-map') {
    if (!isObj(v)) throw mismatch(where, 'an object');
    return Object.fromEntries(Object.keys(v).sort().map((k) => {
      if (type === 'string-map' && typeof v[k] !== 'string') throw mismatch(`${where}.${k}`, 'a string');
      return [k, sortedAny(v[k])];
    }));
  }
  if ('slice' in type) { if (!Array.isArray(v)) throw mismatch(where, 'an array'); return v.map((x, i) => decode(x, type.slice, `${where}[${i}]`)); }
  if (!isObj(v)) throw mismatch(where, 'an object');
  return decodeStruct(v, type.struct, where);
}

function zeroOf(type: GoType): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'time') return '0001-01-01T00:00:00Z'; // a time.Time value (not a pointer) marshals its zero
  return undefined; // nil map, slice, time pointer, bytes
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Struct fields in declaration order; `omitempty` fields that are empty are left out (structs never are). */
function decodeStruct(obj: Obj, fields: readonly GoField[], where: string): Obj {
  const out: Obj = {};
  for (const [name, type, omit] of fields) {
    const value = decode(lookup(obj, name), type, `${where}.${name}`);
    const isStruct = typeof type === 'object' && 'struct' in type;
    const isMap = type === 'string-map' || type === 'any-map';
    // an interface is empty only when nil, whatever it holds
    const empty = type === 'any' ? value === undefined : isEmpty(value) || (isMap && isObj(value) && Object.keys(value).length === 0);
    if (omit && !isStruct && empty) continue;
    out[name] = value === undefined ? null : value;
  }
  return out;
}

/**
 * Passes a parsed JSON object through the Go struct `fields`, as cosign's typed predicates are.
 * @throws ERR_ATTEST_PREDICATE_INVALID when a value has the wrong JSON type (Go's unmarshal error)
 */
export function toGoStruct(value: unknown, fields: readonly GoField[], name: string): Obj {
  if (!isObj(value)) throw mismatch(name, 'an object');
  return decodeStruct(value, fields, name);
}
