/**
 * POST /api/v1/index/retrieve: the search index (best effort, not proof). Hashes are accepted
 * with or without their `<alg>:` prefix (inferred from the length), e-mails and subjects
 * match certificate SANs, and a public key matches the fingerprint of its canonical PEM.
 */
import { decodeBase64, InputError } from '../core/index.ts';
import { isJsonObject } from './entries/fields.ts';
import { parseVerifierKey } from './entries/verifier-key.ts';
import type { LogReader } from './ports.ts';

/** A parsed query: each criterion is a set of alternative index keys. */
export interface SearchQuery {
  readonly criteria: readonly (readonly string[])[];
  readonly operator: 'and' | 'or';
}

const HASH_PREFIX_BY_LENGTH: Readonly<Record<number, string>> = { 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

function invalid(message: string): InputError {
  return new InputError('ERR_TLOG_SEARCH_INVALID', message);
}

function hashKey(value: unknown): string {
  if (typeof value !== 'string') throw invalid('hash must be a string');
  const m = /^(?:(sha1|sha256|sha384|sha512):)?([0-9a-fA-F]+)$/.exec(value.trim());
  const alg = HASH_PREFIX_BY_LENGTH[m?.[2]?.length ?? 0];
  if (!m || alg === undefined || (m[1] !== undefined && m[1] !== alg)) {
    throw invalid(`hash ${JSON.stringify(value.slice(0, 140))} is not <sha1|sha256|sha384|sha512>:<hex> or bare hex of one of those lengths`);
  }
  return `${alg}:${(m[2] as string).toLowerCase()}`;
}

function publicKeyKey(value: unknown): string {
  if (!isJsonObject(value)) throw invalid('publicKey must be an object with format and content');
  if (value['format'] !== 'x509') throw invalid('the PKI format requested is not supported by this server');
  const content = value['content'];
  try {
    if (typeof content !== 'string') throw invalid('publicKey.content is required');
    return parseVerifierKey(decodeBase64(content)).fingerprint;
  } catch {
    throw invalid('public key provided could not be parsed');
  }
}

function textKey(value: unknown, name: string, pattern: RegExp): string {
  if (typeof value !== 'string' || value.length > 512 || !pattern.test(value)) throw invalid(`${name} must be a string of 1 to 512 characters${name === 'email' ? ' in e-mail form' : ''}`);
  return value.toLowerCase();
}

/**
 * Parses a search body `{hash?, email?, subject?, publicKey?, operator?}`; at least one criterion.
 * @throws ERR_TLOG_SEARCH_INVALID for a malformed or empty query or an unsupported key format
 */
export function parseSearchQuery(value: unknown): SearchQuery {
  if (!isJsonObject(value)) throw invalid('the search query must be a json object');
  const operator = value['operator'] ?? 'or';
  if (operator !== 'and' && operator !== 'or') throw invalid('operator must be "and" or "or"');
  const criteria: string[][] = [];
  if (value['hash'] !== undefined) criteria.push([hashKey(value['hash'])]);
  if (value['email'] !== undefined) criteria.push([textKey(value['email'], 'email', /^[^@\s]+@[^@\s]+$/)]);
  if (value['subject'] !== undefined) criteria.push([textKey(value['subject'], 'subject', /^\S.*$/)]);
  if (value['publicKey'] !== undefined) criteria.push([publicKeyKey(value['publicKey'])]);
  if (criteria.length === 0) throw invalid('the search query needs at least one of hash, email, subject or publicKey');
  return { criteria, operator };
}

/** Leaf indexes matching the query, ascending; each lookup reads at most `limit` hits. */
export async function runSearch(reader: LogReader, query: SearchQuery, limit: number): Promise<number[]> {
  const sets = await Promise.all(query.criteria.map(async (alternatives) => {
    const hits = await Promise.all(alternatives.map((key) => reader.search(key, limit)));
    return new Set(hits.flat());
  }));
  let result = sets[0] ?? new Set<number>();
  for (const s of sets.slice(1)) {
    result = query.operator === 'and' ? new Set([...result].filter((i) => s.has(i))) : new Set([...result, ...s]);
  }
  return [...result].sort((a, b) => a - b).slice(0, limit);
}
