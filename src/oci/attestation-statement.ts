/**
 * What `cosign attest` (2.x, legacy storage) writes: an in-toto Statement v0.1 naming the image
 * repository and digest, its predicate built from the `--predicate` file according to `--type`
 * (cosign pkg/cosign/attestation), stored as a DSSE envelope layer of the `sha256-<hex>.att` tag.
 */
import { InputError, UsageError, decodeUtf8, encodeUtf8 } from '../core/index.ts';
import { toGoJsonString } from './go-json.ts';
import { toGoStruct } from './go-struct.ts';
import { LINK_FIELDS, SLSA_V02_FIELDS, SLSA_V1_FIELDS, VULN_FIELDS } from './predicate-structs.ts';

/** Layer media type of an attestation (a DSSE envelope). */
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
/** Layer annotation carrying the attestation's predicate type. */
export const ANNOTATION_PREDICATE_TYPE = 'predicateType';
/** The statement type cosign 2 writes. */
export const IN_TOTO_STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
/** The predicate type of `--type custom`. */
export const COSIGN_CUSTOM_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/v1';

/** cosign's short names for predicate types (options/predicate.go). */
export const PREDICATE_TYPE_ALIASES: Readonly<Record<string, string>> = {
  custom: COSIGN_CUSTOM_PREDICATE_TYPE,
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
};

// Fields cosign requires in the predicate file for the types it parses into Go structs
// (the json tags without omitempty of in-toto-golang's structs, checked before parsing).
const REQUIRED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  slsaprovenance: ['builder', 'buildType'],
  slsaprovenance02: ['builder', 'buildType'],
  slsaprovenance1: ['buildDefinition', 'runDetails'],
  link: ['_type', 'name', 'materials', 'products', 'byproducts', 'command', 'environment'],
};

/**
 * The predicate type URI of a `--type` value: a short name, else the value itself when it parses
 * as a URI (Go's url.ParseRequestURI: absolute, or an absolute path).
 * @throws ERR_ATTEST_PREDICATE_TYPE_INVALID for an empty value or one that is not a URI
 */
export function parsePredicateType(type: string): string {
  const alias = Object.hasOwn(PREDICATE_TYPE_ALIASES, type) ? PREDICATE_TYPE_ALIASES[type] : undefined;
  if (alias !== undefined) return alias;
  const plausible = type !== '' && !/[\u0000-\u0020\u007f]/.test(type) && (type.startsWith('/') || URL.canParse(type));
  if (!plausible) throw new UsageError('ERR_ATTEST_PREDICATE_TYPE_INVALID', `invalid predicate type: ${type}`);
  return type;
}

/** A JSON value with object keys sorted at every level, as Go marshals a map[string]interface{}. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortedKeys(v)]));
}

function parsePredicateJson(bytes: Uint8Array, type: string): unknown {
  try {
    return JSON.parse(decodeUtf8(bytes)) as unknown;
  } catch (cause) {
    throw new InputError('ERR_ATTEST_PREDICATE_INVALID', `invalid JSON payload for predicate type ${type}`, { cause });
  }
}

function checkRequiredFields(predicate: unknown, type: string): void {
  const required = REQUIRED_FIELDS[type] ?? [];
  if (required.length === 0) return;
  if (typeof predicate !== 'object' || predicate === null || Array.isArray(predicate)) {
    throw new InputError('ERR_ATTEST_PREDICATE_INVALID', `the ${type} predicate must be a JSON object`);
  }
  const missing = required.find((f) => !Object.hasOwn(predicate, f));
  if (missing !== undefined) throw new InputError('ERR_ATTEST_PREDICATE_INVALID', `${type} predicate: required field ${missing} missing`);
}

/** What a statement is built from. */
export interface StatementInput {
  /** the `--type` value as given (a short name or a URI) */
  readonly type: string;
  /** the predicate file's bytes */
  readonly predicate: Uint8Array;
  /** the subject name: the image repository (`registry/repo`) */
  readonly repository: string;
  /** the image digest, lower-case hex of sha256 */
  readonly digestHex: string;
  /** when the custom predicate is made (its Timestamp) */
  readonly now: Date;
}

/** The predicate value for `type`, as cosign builds it from the file. */
function predicateOf(input: StatementInput, predicateType: string): unknown {
  const { type, predicate } = input;
  // custom (by name or URI): the file as text plus a timestamp; spdx (not spdxjson): the file as text
  // as text, any bytes will do: invalid UTF-8 becomes U+FFFD, as Go's json.Marshal writes it
  const text = (): string => new TextDecoder().decode(predicate);
  if (predicateType === COSIGN_CUSTOM_PREDICATE_TYPE) {
    return { Data: text(), Timestamp: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  if (type === 'spdx') return text();
  const parsed = parsePredicateJson(predicate, type);
  checkRequiredFields(parsed, type);
  // cosign re-serializes these types through Go structs
  if (type === 'slsaprovenance' || type === 'slsaprovenance02') return toGoStruct(parsed, SLSA_V02_FIELDS, 'provenance predicate');
  if (type === 'slsaprovenance1') return toGoStruct(parsed, SLSA_V1_FIELDS, 'provenance predicate');
  if (type === 'link') return toGoStruct(parsed, LINK_FIELDS, 'link statement');
  if (type === 'vuln') return toGoStruct(parsed, VULN_FIELDS, 'vuln predicate');
  // spdxjson, cyclonedx and openvex take any JSON value; URI types a JSON object (a Go map), or null
  const anyJson = type === 'spdxjson' || type === 'cyclonedx' || type === 'openvex';
  if (!anyJson && parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new InputError('ERR_ATTEST_PREDICATE_INVALID', `invalid JSON payload for predicate type ${type}: want a JSON object`);
  }
  return sortedKeys(parsed);
}

/**
 * The in-toto Statement v0.1 bytes cosign's attest signs, and its predicate type.
 * @throws ERR_ATTEST_PREDICATE_TYPE_INVALID, ERR_ATTEST_PREDICATE_INVALID (not JSON where the type needs JSON, a required field missing)
 */
export function createAttestationStatement(input: StatementInput): { readonly statement: Uint8Array; readonly predicateType: string } {
  const predicateType = parsePredicateType(input.type);
  const statement = {
    _type: IN_TOTO_STATEMENT_V01,
    predicateType,
    subject: [{ name: input.repository, digest: { sha256: input.digestHex } }],
    predicate: predicateOf(input, predicateType),
  };
  return { statement: encodeUtf8(toGoJsonString(statement)), predicateType };
}
