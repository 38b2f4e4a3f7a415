/**
 * Search keys from an in-toto statement payload: every subject digest and, for SLSA provenance,
 * every material digest, as `<alg>:<hex>` (Rekor indexes these for dsse and intoto entries).
 */
import { decodeUtf8 } from '../../core/index.ts';
import { isJsonObject } from './fields.ts';

/** The in-toto DSSE payload type. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

function digestsOf(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  const out: string[] = [];
  for (const item of items) {
    const digest = isJsonObject(item) ? item['digest'] : undefined;
    if (!isJsonObject(digest)) continue;
    for (const [alg, hex] of Object.entries(digest)) if (typeof hex === 'string') out.push(`${alg}:${hex}`.toLowerCase());
  }
  return out;
}

/** Subject and material digests of an in-toto statement; empty when the payload is not one. */
export function inTotoSearchKeys(payloadType: string, payload: Uint8Array): string[] {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return [];
  let statement: unknown;
  try {
    statement = JSON.parse(decodeUtf8(payload));
  } catch {
    return [];
  }
  if (!isJsonObject(statement)) return [];
  const predicate = statement['predicate'];
  return [...digestsOf(statement['subject']), ...digestsOf(isJsonObject(predicate) ? predicate['materials'] : undefined)];
}
