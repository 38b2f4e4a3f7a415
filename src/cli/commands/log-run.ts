/** The work of `sigil log upload|get|search|verify|proof`, loaded only when one runs. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  InputError, UsageError, decodeUtf8, encodeBase64, encodeHex, hashHex,
} from '../../core/index.ts';
import {
  createHashedRekordProposal, normalizeSearchHash, parseRekorLogEntries, toRekorLogEntryJson, type RekorLogEntry,
} from '../../bundle/index.ts';
import { verifyRekorEntry } from '../../verify/tlog.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import type { CommandContext } from '../main.ts';
import type { CliIo } from '../io.ts';
import { createCliRekorClient, resolveLogKey, resolveRekorUrl } from '../rekor.ts';
import type { LogEntryFlags, LogFlags } from './log.ts';

/** What a `sigil log` subcommand prints: a JSON document, or text for people. */
export interface LogReport {
  readonly json: unknown;
  readonly text: string;
}

/** The client for the log the flags or SIGIL_REKOR_URL name. @throws ERR_USAGE when none is named */
export function requireRekorClient(io: CliIo, flags: LogFlags): RekorClient {
  const url = resolveRekorUrl(io, flags.rekorUrl);
  if (url === undefined) throw new UsageError('ERR_USAGE', 'no log given: pass --rekor-url or set SIGIL_REKOR_URL');
  return createCliRekorClient(io, url);
}

async function readBytes(io: CliIo, file: string, flag: string): Promise<Uint8Array> {
  try { return new Uint8Array(await readFile(resolve(io.cwd, file))); } catch (cause) {
    throw new InputError('ERR_FILE_NOT_FOUND', `cannot read ${flag} ${file}`, { cause });
  }
}

function parseJsonFile(bytes: Uint8Array, flag: string): unknown {
  try { return JSON.parse(decodeUtf8(bytes)) as unknown; } catch (cause) {
    throw new InputError('ERR_INPUT_INVALID', `${flag} is not json`, { cause });
  }
}

/** A uuid (64 hex) or entry id (80 hex), lower-cased. @throws ERR_TLOG_ENTRY_ID_INVALID */
export function parseEntryIdFlag(text: string): string {
  if (!/^([0-9a-fA-F]{16})?[0-9a-fA-F]{64}$/.test(text)) throw new InputError('ERR_TLOG_ENTRY_ID_INVALID', `--uuid ${JSON.stringify(text.slice(0, 100))} is not 64 or 80 hex characters`);
  return text.toLowerCase();
}

/** A non-negative decimal integer flag. @throws `code` */
export function parseSizeFlag(text: string, flag: string, code: 'ERR_TLOG_ENTRY_ID_INVALID' | 'ERR_TLOG_TREE_SIZE_INVALID'): number {
  const n = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InputError(code, `${flag} ${JSON.stringify(text.slice(0, 40))} is not a non-negative integer`);
  return n;
}

/** A signature file holds base64 (cosign's --output-signature) or the raw signature bytes. */
function signatureBase64Of(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes).trim();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0) return text;
  return encodeBase64(bytes);
}

async function proposalOf(io: CliIo, flags: LogEntryFlags): Promise<unknown> {
  if (flags.entry !== undefined) return parseJsonFile(await readBytes(io, flags.entry, '--entry'), '--entry');
  if (flags.artifact === undefined || flags.signature === undefined || flags.publicKey === undefined) {
    throw new UsageError('ERR_USAGE', 'upload needs --entry, or all of --artifact, --signature and --public-key');
  }
  const artifact = await readBytes(io, flags.artifact, '--artifact');
  const signature = signatureBase64Of(await readBytes(io, flags.signature, '--signature'));
  const keyPem = decodeUtf8(await readBytes(io, flags.publicKey, '--public-key'));
  return createHashedRekordProposal(artifact, signature, keyPem);
}

function entryUrl(client: RekorClient, entry: RekorLogEntry): string {
  return `${client.baseUrl}/api/v1/log/entries/${entry.entryId}`;
}

/** `sigil log upload`. @throws ERR_TLOG_ENTRY_INVALID, ERR_NETWORK, file errors */
export async function runLogUpload(ctx: CommandContext, flags: LogEntryFlags): Promise<LogReport> {
  const client = requireRekorClient(ctx.io, flags);
  const { entry, created } = await client.createEntry(await proposalOf(ctx.io, flags));
  const location = entryUrl(client, entry);
  const text = created ? `Created entry at index ${entry.logIndex}, available at: ${location}\n` : `Entry already exists; available at: ${location}\n`;
  return { json: { created, uuid: entry.uuid, entryId: entry.entryId, logIndex: entry.logIndex, integratedTime: entry.integratedTime, location, entry: toRekorLogEntryJson(entry) }, text };
}

async function fetchEntry(client: RekorClient, flags: LogEntryFlags): Promise<RekorLogEntry> {
  if ((flags.uuid === undefined) === (flags.logIndex === undefined)) throw new UsageError('ERR_USAGE', 'give exactly one of --uuid and --log-index');
  if (flags.uuid !== undefined) return client.getEntryByUuid(parseEntryIdFlag(flags.uuid));
  return client.getEntryByIndex(parseSizeFlag(flags.logIndex ?? '', '--log-index', 'ERR_TLOG_ENTRY_ID_INVALID'));
}

function entryText(entry: RekorLogEntry): string {
  let body: string;
  try { body = JSON.stringify(JSON.parse(decodeUtf8(entry.body)), null, 2); } catch { body = entry.bodyBase64; }
  const time = new Date(entry.integratedTime * 1000).toISOString();
  return `LogID: ${entry.logId}\nIndex: ${entry.logIndex}\nIntegratedTime: ${time}\nUUID: ${entry.entryId}\nBody: ${body}\n`;
}

/** `sigil log get`: the entry in Rekor's own JSON shape, which `sigil log verify --entry` reads back. */
export async function runLogGet(ctx: CommandContext, flags: LogEntryFlags): Promise<LogReport> {
  const entry = await fetchEntry(requireRekorClient(ctx.io, flags), flags);
  return { json: toRekorLogEntryJson(entry), text: entryText(entry) };
}

/** `sigil log search`: entry ids for a hash, an artifact, a key or an email. @throws ERR_USAGE, ERR_INPUT_INVALID, ERR_TLOG_SEARCH_INVALID */
export async function runLogSearch(ctx: CommandContext, flags: LogEntryFlags): Promise<LogReport> {
  if (flags.sha !== undefined && flags.artifact !== undefined) throw new UsageError('ERR_USAGE', 'give --sha or --artifact, not both');
  const hash = flags.sha !== undefined ? normalizeSearchHash(flags.sha)
    : flags.artifact !== undefined ? `sha256:${hashHex('sha256', await readBytes(ctx.io, flags.artifact, '--artifact'))}` : undefined;
  const key = flags.publicKey === undefined ? undefined : encodeBase64(await readBytes(ctx.io, flags.publicKey, '--public-key'));
  if (hash === undefined && key === undefined && flags.email === undefined) throw new UsageError('ERR_USAGE', 'search needs --sha, --artifact, --public-key or --email');
  const ids = await requireRekorClient(ctx.io, flags).searchIndex({
    ...(hash === undefined ? {} : { hash }), ...(key === undefined ? {} : { publicKeyBase64: key }), ...(flags.email === undefined ? {} : { email: flags.email }),
  });
  const text = ids.length === 0 ? 'No matching entries were found\n' : `Found matching entries (listed by UUID):\n${ids.map((id) => `${id}\n`).join('')}`;
  return { json: ids, text };
}

/**
 * `sigil log verify`: the SET and the inclusion proof against the trusted log key, offline for
 * `--entry FILE`, else on the entry as fetched.
 * @throws ERR_CRYPTO_SIGNATURE_INVALID, ERR_TLOG_*, ERR_MERKLE_INCLUSION_PROOF, ERR_CHECKPOINT_* (exit 12)
 */
export async function runLogVerify(ctx: CommandContext, flags: LogEntryFlags): Promise<LogReport> {
  const url = resolveRekorUrl(ctx.io, flags.rekorUrl);
  const client = url === undefined ? undefined : createCliRekorClient(ctx.io, url);
  let entry: RekorLogEntry | undefined;
  if (flags.entry !== undefined) {
    const entries = parseEntryFile(await readBytes(ctx.io, flags.entry, '--entry'));
    entry = entries[0];
  } else {
    entry = await fetchEntry(client ?? requireRekorClient(ctx.io, flags), flags);
  }
  if (!entry) throw new InputError('ERR_INPUT_INVALID', '--entry holds no entry');
  const key = await resolveLogKey(ctx.io, flags.logKey, client);
  const checked = verifyRekorEntry(entry, key);
  const json = {
    uuid: entry.uuid, logIndex: entry.logIndex, logID: entry.logId, signedEntryTimestamp: checked.setVerified,
    inclusionProof: checked.checkpoint ? { treeSize: Number(checked.checkpoint.size), rootHash: encodeHex(checked.checkpoint.rootHash) } : null,
  };
  const proofText = checked.checkpoint ? `inclusion proof verified against the signed checkpoint at tree size ${checked.checkpoint.size}\n` : 'no inclusion proof to verify\n';
  return { json, text: `Entry ${entry.uuid} at index ${entry.logIndex}: ${checked.setVerified ? 'signed entry timestamp verified; ' : ''}${proofText}` };
}

/** An entry file is Rekor's `{entryId: LogEntry}` JSON; a malformed one is bad input, not a bad server. */
function parseEntryFile(bytes: Uint8Array): readonly RekorLogEntry[] {
  const json = parseJsonFile(bytes, '--entry');
  try { return parseRekorLogEntries(json); } catch (cause) {
    throw new InputError('ERR_INPUT_INVALID', `--entry is not a rekor log entry: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** `sigil log proof`: the consistency proof between two sizes, as the log serves it. */
export async function runLogProof(ctx: CommandContext, flags: LogEntryFlags): Promise<LogReport> {
  const client = requireRekorClient(ctx.io, flags);
  const firstSize = parseSizeFlag(flags.firstSize ?? '1', '--first-size', 'ERR_TLOG_TREE_SIZE_INVALID');
  const lastSize = flags.lastSize === undefined ? (await client.getLogInfo()).treeSize : parseSizeFlag(flags.lastSize, '--last-size', 'ERR_TLOG_TREE_SIZE_INVALID');
  const proof = await client.getConsistencyProof(firstSize, lastSize);
  const hashes = proof.hashes.map(encodeHex);
  const json = { firstSize, lastSize, rootHash: encodeHex(proof.rootHash), hashes };
  return { json, text: `Consistency proof from size ${firstSize} to ${lastSize}\nRoot hash: ${json.rootHash}\nHashes:\n${hashes.map((h) => `  ${h}\n`).join('')}` };
}

