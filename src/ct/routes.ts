/**
 * The RFC 6962 §4 HTTP API of the CT log under /ct/v1/, as plain route data. Bytes are standard
 * base64 in JSON; field names are the RFC's (snake_case).
 */
import { collectBytes, decodeBase64, decodeUtf8, encodeBase64, InputError, type HttpRequest, type HttpResponse, type Route } from '../core/index.ts';
import type { CtLog } from './log.ts';

/** Most entries one get-entries answers. */
const MAX_ENTRIES = 256;
/** Chains are a few certificates; a megabyte is plenty. */
const MAX_BODY_BYTES = 1024 * 1024;

function json(value: unknown): HttpResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function submissionError(message: string): InputError {
  return new InputError('ERR_CT_SUBMISSION_INVALID', message);
}

async function readChain(req: HttpRequest): Promise<Uint8Array[]> {
  const bytes = await collectBytes(req.body, MAX_BODY_BYTES, (n) => new InputError('ERR_HTTP_BODY_TOO_LARGE', `the request body is larger than the ${n} bytes this log accepts`));
  let body: unknown;
  try { body = JSON.parse(decodeUtf8(bytes)); } catch { throw submissionError('the request body is not valid json'); }
  const chain = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['chain'] : undefined;
  if (!Array.isArray(chain)) throw submissionError('the request body has no "chain" array');
  return chain.map((c, i) => {
    if (typeof c !== 'string') throw submissionError(`chain[${i}] is not a base64 string`);
    return decodeBase64(c, () => submissionError(`chain[${i}] is not standard base64`));
  });
}

function intParam(req: HttpRequest, name: string): number {
  const text = req.query.get(name);
  if (text === null || !/^(0|[1-9][0-9]{0,15})$/.test(text)) throw new InputError('ERR_CT_PARAM_INVALID', `${name} ${text === null ? 'is required' : 'must be a non-negative integer'}`);
  return Number(text);
}

function sctJson(sct: Awaited<ReturnType<CtLog['add']>>): unknown {
  return {
    sct_version: 0, id: encodeBase64(sct.logId), timestamp: sct.timestampMs,
    extensions: encodeBase64(sct.extensions), signature: encodeBase64(sct.signature),
  };
}

/** The CT log's routes. */
export function createCtRoutes(log: CtLog): Route[] {
  const route = (methods: string[], name: string, handle: (req: HttpRequest) => Promise<HttpResponse>): Route =>
    ({ methods, pattern: new RegExp(`^/ct/v1/${name}/?$`), dialect: 'plain', handle });
  return [
    route(['POST'], 'add-chain', async (req) => json(sctJson(await log.add(await readChain(req), false)))),
    route(['POST'], 'add-pre-chain', async (req) => json(sctJson(await log.add(await readChain(req), true)))),
    route(['GET'], 'get-sth', async () => {
      const head = await log.latestHead();
      return json({
        tree_size: head.treeSize, timestamp: head.timestampMs,
        sha256_root_hash: encodeBase64(head.rootHash), tree_head_signature: encodeBase64(head.signature),
      });
    }),
    route(['GET'], 'get-sth-consistency', async (req) => {
      const proof = await log.consistency(intParam(req, 'first'), intParam(req, 'second'));
      return json({ consistency: proof.map(encodeBase64) });
    }),
    route(['GET'], 'get-proof-by-hash', async (req) => {
      const text = req.query.get('hash') ?? '';
      const hash = decodeBase64(text, () => new InputError('ERR_CT_PARAM_INVALID', 'hash must be a standard base64 leaf hash'));
      if (hash.byteLength !== 32) throw new InputError('ERR_CT_PARAM_INVALID', `hash is ${hash.byteLength} bytes, want 32`);
      const proof = await log.proofByHash(hash, intParam(req, 'tree_size'));
      return json({ leaf_index: proof.leafIndex, audit_path: proof.auditPath.map(encodeBase64) });
    }),
    route(['GET'], 'get-entries', async (req) => {
      const leaves = await log.entries(intParam(req, 'start'), intParam(req, 'end'), MAX_ENTRIES);
      return json({ entries: leaves.map((l) => ({ leaf_input: encodeBase64(l.leafInput), extra_data: encodeBase64(l.extraData) })) });
    }),
    route(['GET'], 'get-roots', async () => json({ certificates: log.roots.map(encodeBase64) })),
  ];
}
