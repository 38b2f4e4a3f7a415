/**
 * Composition root of the transparency log: loads (or creates, on first start) the log signing
 * key under `<dataDir>/log/`, opens SQLite at `<dataDir>/log/log.db` or the given PostgreSQL,
 * and builds the service. Replicas on one PostgreSQL must share the same key file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { ConfigError, decodePem, encodePem, generateP256KeyPair, publicKeyOfPrivate, type Clock } from '../core/index.ts';
import { openPostgresLogStore } from '../adapters/postgres/log-store.ts';
import { openSqliteLogStore } from '../adapters/sqlite/log-store.ts';
import {
  createCachedKeyParser, createLogService, createLogSigner, parseProposedEntry, type LogService, type LogServiceOptions, type LogStore,
} from '../tlog/index.ts';
import { startEntryParsePool } from './entry-parse-pool.ts';

/** Options of `openLogService`. */
export interface OpenLogServiceOptions extends Partial<Omit<LogServiceOptions, 'store' | 'signer' | 'publicUrl' | 'clock' | 'parseEntry'>> {
  /** the data directory; the key (and the SQLite file) live under `<dataDir>/log/` */
  readonly dataDir: string;
  /** when given, entries live in this PostgreSQL database instead of SQLite */
  readonly postgresUrl?: string;
  readonly publicUrl: string;
  readonly clock: Clock;
  /** worker threads that check proposed entries' signatures (default: cores - 1; 0: the main thread) */
  readonly verifyThreads?: number;
}

/** A log service that owns its store. */
export interface OpenedLogService extends LogService {
  /** The size of the newest stored tree head (0 for an empty log). */
  treeSize(): Promise<number>;
  /** Stops the service and closes the store. */
  close(): Promise<void>;
}

/** The log key's file name under `<dataDir>/log/`. */
export const LOG_KEY_FILE = 'signing-key.pem';

/**
 * Reads the log's PKCS#8 PEM key from `dir`, creating an ECDSA P-256 one (mode 0600) when absent.
 * @throws ERR_CONFIG_INVALID when the file exists but holds no usable key
 */
export function loadOrCreateLogKey(dir: string): { pkcs8Der: Uint8Array; spkiDer: Uint8Array } {
  const path = join(dir, LOG_KEY_FILE);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    const pair = generateP256KeyPair();
    writeFileSync(path, encodePem('PRIVATE KEY', pair.pkcs8Der), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return pair;
  }
  try {
    const block = decodePem(readFileSync(path, 'utf8')).find((b) => b.label === 'PRIVATE KEY');
    if (block === undefined) throw new Error('no PRIVATE KEY block');
    return { pkcs8Der: block.der, spkiDer: publicKeyOfPrivate(block.der) };
  } catch (cause) {
    throw new ConfigError('ERR_CONFIG_INVALID', `the log key ${path} is not a pkcs#8 pem private key`, { cause });
  }
}

/**
 * Opens the log's storage and key and builds the service (not yet started).
 * @throws ERR_CONFIG_INVALID for a bad key file; ERR_TLOG_STORAGE when the database cannot be opened
 */
export async function openLogService(options: OpenLogServiceOptions): Promise<OpenedLogService> {
  const dir = join(options.dataDir, 'log');
  const key = loadOrCreateLogKey(dir);
  const store: LogStore = options.postgresUrl === undefined
    ? openSqliteLogStore(join(dir, 'log.db'), { writerThread: true })
    : await openPostgresLogStore({ connectionString: options.postgresUrl });
  const { dataDir: _d, postgresUrl: _p, verifyThreads, ...rest } = options;
  const threads = verifyThreads ?? Math.max(0, availableParallelism() - 1);
  const parseKey = createCachedKeyParser(1024);
  const pool = threads > 0 ? startEntryParsePool(threads, (bytes) => parseProposedEntry(bytes, parseKey)) : undefined;
  const service = createLogService({
    ...rest, store, signer: createLogSigner(key.pkcs8Der, key.spkiDer),
    ...(pool === undefined ? {} : { parseEntry: (bytes: Uint8Array) => pool.parse(bytes) }),
  });
  return {
    ...service,
    treeSize: async () => (await store.latestHead())?.size ?? 0,
    async close() {
      await service.stop();
      await pool?.close();
      await store.close();
    },
  };
}
