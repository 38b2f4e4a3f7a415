/**
 * `sigil log info`: the log's signed tree head, verified with the log key, and proven consistent
 * with the last tree head this machine saw of the same log (rekor-cli loginfo keeps ~/.rekor/state.json;
 * sigil keeps `$SIGIL_HOME/log-state.json`, default `~/.sigil/log-state.json`, keyed by log URL and tree ID).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, UpstreamError, VerificationError, decodeHex, encodeHex } from '../../core/index.ts';
import { verifyConsistency } from '../../merkle/index.ts';
import { verifyRekorCheckpoint } from '../../verify/tlog.ts';
import type { RekorLogInfo } from '../../bundle/index.ts';
import type { RekorClient } from '../../adapters/http-clients/rekor-client.ts';
import type { CommandContext } from '../main.ts';
import type { CliIo } from '../io.ts';
import { resolveLogKey } from '../rekor.ts';
import { requireRekorClient, type LogReport } from './log-run.ts';
import type { LogFlags } from './log.ts';

/** The last verified tree head of one log. */
interface SavedTreeHead {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly signedTreeHead: string;
}

type LogState = Readonly<Record<string, SavedTreeHead>>;

function statePath(io: CliIo): string {
  const home = io.env['SIGIL_HOME'] || (io.env['HOME'] ? join(io.env['HOME'], '.sigil') : undefined);
  if (!home) throw new ConfigError('ERR_CONFIG_INVALID', 'set SIGIL_HOME or HOME: log info keeps the last tree head it saw there');
  return resolve(io.cwd, home, 'log-state.json');
}

/** Parses the state file; entries that do not have the expected shape make the whole file invalid. */
function parseLogState(text: string, path: string): LogState {
  const bad = (): ConfigError => new ConfigError('ERR_CONFIG_INVALID', `${path} is not a sigil log state file; remove it to start over`);
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw bad(); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad();
  const out: Record<string, SavedTreeHead> = {};
  for (const [key, v] of Object.entries(json)) {
    if (typeof v !== 'object' || v === null) throw bad();
    const { treeSize, rootHash, signedTreeHead } = v as Record<string, unknown>;
    if (!Number.isSafeInteger(treeSize) || typeof rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(rootHash) || typeof signedTreeHead !== 'string') throw bad();
    out[key] = { treeSize: treeSize as number, rootHash, signedTreeHead };
  }
  return out;
}

async function loadState(path: string): Promise<LogState> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError('ERR_CONFIG_INVALID', `cannot read ${path}`, { cause });
  }
  return parseLogState(text, path);
}

async function saveState(path: string, state: LogState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/**
 * Proves `info` extends `saved`: equal roots at equal sizes, else a consistency proof from the log.
 * @throws ERR_MERKLE_CONSISTENCY_PROOF (exit 12) for a log that forked or shrank
 */
async function verifyExtends(client: RekorClient, saved: SavedTreeHead, info: RekorLogInfo): Promise<void> {
  const oldRoot = decodeHex(saved.rootHash);
  if (saved.treeSize > info.treeSize) {
    throw new VerificationError('ERR_MERKLE_CONSISTENCY_PROOF', `the log shrank from tree size ${saved.treeSize} to ${info.treeSize}`);
  }
  const proof = saved.treeSize === info.treeSize || saved.treeSize === 0 ? [] : (await client.getConsistencyProof(saved.treeSize, info.treeSize)).hashes;
  verifyConsistency(saved.treeSize, info.treeSize, proof, oldRoot, info.rootHash);
}

/**
 * `sigil log info`. Saves the new tree head only once it is verified.
 * @throws ERR_CHECKPOINT_* and ERR_MERKLE_CONSISTENCY_PROOF (exit 12), ERR_CONFIG_INVALID, ERR_NETWORK
 */
export async function runLogInfo(ctx: CommandContext, flags: LogFlags): Promise<LogReport> {
  const client = requireRekorClient(ctx.io, flags);
  const info = await client.getLogInfo();
  const key = await resolveLogKey(ctx.io, flags.logKey, client);
  verifyRekorCheckpoint(info.signedTreeHead, key, { size: info.treeSize, rootHash: info.rootHash });
  if (!/^\d*$/.test(info.treeId)) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `the log's tree id ${JSON.stringify(info.treeId.slice(0, 40))} is not decimal`);
  const path = statePath(ctx.io);
  const state = await loadState(path);
  const stateKey = `${client.baseUrl} ${info.treeId}`;
  const saved = state[stateKey];
  if (saved) await verifyExtends(client, saved, info);
  const rootHash = encodeHex(info.rootHash);
  if (!saved || saved.treeSize < info.treeSize) await saveState(path, { ...state, [stateKey]: { treeSize: info.treeSize, rootHash, signedTreeHead: info.signedTreeHead } });
  const json = { treeSize: info.treeSize, rootHash, treeID: info.treeId, signedTreeHead: info.signedTreeHead, verifiedConsistentFrom: saved ? saved.treeSize : null };
  const since = saved ? `Consistent with the tree head seen before at size ${saved.treeSize}\n` : 'No earlier tree head of this log was saved; this one is now\n';
  return { json, text: `Verification Successful!\nTree Size: ${info.treeSize}\nRoot Hash: ${rootHash}\nTree ID: ${info.treeId}\n${since}` };
}
