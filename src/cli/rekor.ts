/**
 * Wires the Rekor client and the trusted log key for CLI commands: the log URL from --rekor-url
 * or SIGIL_REKOR_URL, the key from a file (--log-key, else SIGSTORE_REKOR_PUBLIC_KEY as cosign
 * reads it), or, failing both, the key the log itself serves (trust on first use, said on stderr).
 */
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, UpstreamError, UsageError, defaultSignatureAlgorithm, parsePublicKeyPem } from '../core/index.ts';
import type { RekorLogEntry } from '../bundle/index.ts';
import { createRekorClient, type RekorClient } from '../adapters/http-clients/rekor-client.ts';
import { createNodeFetch } from '../adapters/http-clients/node-fetch.ts';
import { readSmallFile } from '../adapters/fs/small-file.ts';
import type { TrustedLogKey } from '../verify/tlog.ts';
import type { CliIo } from './io.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

/** The log URL the flag or SIGIL_REKOR_URL names, or undefined when neither does. @throws ERR_USAGE for a non-http(s) URL */
export function resolveRekorUrl(io: CliIo, flag: string | undefined): string | undefined {
  const url = flag ?? io.env['SIGIL_REKOR_URL'];
  if (url === undefined || url === '') return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError('ERR_USAGE', `--rekor-url must be an http(s) url, got ${JSON.stringify(url.slice(0, 200))}`);
  return url;
}

/** Builds the client for the log at `baseUrl`. */
export function createCliRekorClient(io: CliIo, baseUrl: string): RekorClient {
  return createRekorClient({
    fetch: io.deps?.fetch ?? createNodeFetch(),
    baseUrl,
    timeoutMs: io.deps?.registryTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    sleep: io.deps?.sleep ?? (async (ms) => { await delay(ms); }),
    now: () => new Date(),
    jitter: Math.random,
  });
}

function toTrustedKey(pem: string, where: string): TrustedLogKey {
  try {
    const key = parsePublicKeyPem(pem);
    return { spkiDer: key.toSpkiDer(), algorithm: defaultSignatureAlgorithm(key.type) };
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${where} is not a pem public key`, { cause });
  }
}

/**
 * The log keys named by a file: `path` (a flag) first, else SIGSTORE_REKOR_PUBLIC_KEY; empty when neither is set.
 * @throws ERR_CONFIG_INVALID for an unreadable file or one that is not a pem public key
 */
export async function loadLogKeysFromFiles(io: CliIo, path?: string): Promise<TrustedLogKey[]> {
  const [file, where] = path ? [path, `--log-key ${path}`] : [io.env['SIGSTORE_REKOR_PUBLIC_KEY'], `SIGSTORE_REKOR_PUBLIC_KEY names ${io.env['SIGSTORE_REKOR_PUBLIC_KEY'] ?? ''}, which`];
  if (!file) return [];
  let text: string;
  try { text = (await readSmallFile(resolve(io.cwd, file))).toString('utf8'); } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `${where} cannot be read`, { cause });
  }
  return [toTrustedKey(text, where)];
}

/**
 * The one log key to verify with: from a file when one is named, else fetched from the log
 * (which proves only that the answers are self-consistent, not that the log is the one meant).
 * @throws ERR_CONFIG_INVALID when there is neither a key file nor a log to ask
 */
export async function resolveLogKey(io: CliIo, path: string | undefined, client: RekorClient | undefined): Promise<TrustedLogKey> {
  const [fromFile] = await loadLogKeysFromFiles(io, path);
  if (fromFile) return fromFile;
  if (!client) throw new ConfigError('ERR_CONFIG_INVALID', 'no trusted log key: pass --log-key, set SIGSTORE_REKOR_PUBLIC_KEY, or give --rekor-url to fetch it');
  io.stderr.write(`note: trusting the public key served by ${client.baseUrl}; pin it with --log-key or SIGSTORE_REKOR_PUBLIC_KEY\n`);
  return toTrustedKey(await client.getPublicKey(), `the key served by ${client.baseUrl}`);
}

/**
 * The log a signing command uploads to: none with --tlog-upload=false, none (said on stderr) when
 * neither --rekor-url nor SIGIL_REKOR_URL names one.
 */
export function resolveUploadLog(io: CliIo, tlogUpload: boolean, rekorUrl: string | undefined): RekorClient | undefined {
  if (!tlogUpload) return undefined;
  const url = resolveRekorUrl(io, rekorUrl);
  if (url === undefined) {
    io.stderr.write('note: no transparency log configured (--rekor-url or SIGIL_REKOR_URL): the signature is not logged\n');
    return undefined;
  }
  return createCliRekorClient(io, url);
}

/**
 * Uploads a proposed entry and reports it on stderr as cosign does.
 * @throws ERR_HTTP_RESPONSE_INVALID when the log answers without a signedEntryTimestamp, upload errors
 */
export async function uploadToLog(io: CliIo, rekor: RekorClient, proposed: unknown): Promise<RekorLogEntry & { readonly signedEntryTimestamp: Uint8Array }> {
  const { entry, created } = await rekor.createEntry(proposed);
  const set = entry.signedEntryTimestamp;
  if (!set) throw new UpstreamError('ERR_HTTP_RESPONSE_INVALID', `the log at ${rekor.baseUrl} answered entry ${entry.uuid} without a signedEntryTimestamp`);
  io.stderr.write(`tlog entry ${created ? 'created' : 'already present'} with index: ${entry.logIndex}\n`);
  return { ...entry, signedEntryTimestamp: set };
}

/**
 * The log keys a verifier trusts, in cosign's order: SIGSTORE_REKOR_PUBLIC_KEY, else (only with
 * --rekor-url or SIGIL_REKOR_URL, only when the log is required, and never --offline) the key the log serves.
 */
export async function resolveVerifierLogKeys(io: CliIo, opts: { readonly insecureIgnoreTlog?: boolean; readonly rekorUrl?: string; readonly offline?: boolean }): Promise<TrustedLogKey[]> {
  const fromFile = await loadLogKeysFromFiles(io);
  if (fromFile.length > 0 || opts.insecureIgnoreTlog === true || opts.offline === true) return fromFile;
  const url = resolveRekorUrl(io, opts.rekorUrl);
  return url === undefined ? [] : [await resolveLogKey(io, undefined, createCliRekorClient(io, url))];
}
