/**
 * Reading untrusted proposed-entry JSON: every accessor checks the shape and throws Rekor's 400
 * (`error processing entry: <detail>`) naming the field, so nothing unchecked reaches a kind.
 */
import { decodeBase64, InputError, VerificationError } from '../../core/index.ts';

/** The prefix of every Rekor 400 about a proposed entry. */
export const ENTRY_ERROR_PREFIX = 'error processing entry: ';

/** An ERR_TLOG_ENTRY_INVALID error with Rekor's message prefix. */
export function invalidEntry(detail: string): InputError {
  return new InputError('ERR_TLOG_ENTRY_INVALID', `${ENTRY_ERROR_PREFIX}${detail}`);
}

/** An ERR_TLOG_ENTRY_SIGNATURE error with Rekor's message prefix. */
export function badEntrySignature(detail: string): VerificationError {
  return new VerificationError('ERR_TLOG_ENTRY_SIGNATURE', `${ENTRY_ERROR_PREFIX}${detail}`);
}

/** A JSON object as untrusted input. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** True when `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object. @throws ERR_TLOG_ENTRY_INVALID */
export function objectField(value: unknown, name: string): JsonObject {
  if (!isJsonObject(value)) throw invalidEntry(`${name} in body is required and must be an object`);
  return value;
}

/** `value` as a non-empty string. @throws ERR_TLOG_ENTRY_INVALID */
export function stringField(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalidEntry(`${name} in body is required and must be a non-empty string`);
  return value;
}

/** `value` as a string, or undefined when absent. @throws ERR_TLOG_ENTRY_INVALID */
export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidEntry(`${name} in body must be a string`);
  return value;
}

/** `value` as a non-empty array. @throws ERR_TLOG_ENTRY_INVALID */
export function arrayField(value: unknown, name: string): readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidEntry(`${name} in body is required and must be a non-empty array`);
  return value;
}

/** `value` as standard base64, decoded. @throws ERR_TLOG_ENTRY_INVALID */
export function base64Field(value: unknown, name: string): Uint8Array {
  const text = stringField(value, name);
  return decodeBase64(text, () => invalidEntry(`${name} in body must be standard base64`));
}

/** A `{algorithm, value}` hash whose value is hex of the algorithm's length. @throws ERR_TLOG_ENTRY_INVALID */
export function hashField(value: unknown, name: string, algorithms: readonly string[]): { readonly algorithm: string; readonly value: string } {
  const hash = objectField(value, name);
  const algorithm = stringField(hash['algorithm'], `${name}.algorithm`);
  if (!algorithms.includes(algorithm)) throw invalidEntry(`${name}.algorithm should be one of [${algorithms.join(' ')}]`);
  const hex = stringField(hash['value'], `${name}.value`);
  const want = { sha256: 64, sha384: 96, sha512: 128 }[algorithm] ?? 64;
  if (hex.length !== want || !/^[0-9a-fA-F]+$/.test(hex)) throw invalidEntry(`invalid value for hash: ${name}.value must be ${want} hex characters for ${algorithm}`);
  return { algorithm, value: hex };
}
