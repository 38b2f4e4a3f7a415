/**
 * Composition of the log service from its ports: a store, the log key's signer, the public URL
 * (whose host names the checkpoints) and a clock. `sigil server` mounts `routes` and calls
 * start()/stop(); nothing here does I/O of its own.
 */
import { InputError, type Clock } from '../core/index.ts';
import { rekorV1Origin } from '../merkle/index.ts';
import { treeIdFromLogId } from './identifiers.ts';
import { createLogApi, type LogApi } from './log-api.ts';
import { createCheckpointSigner, logKeyInfo, type LogSigner } from './log-signer.ts';
import type { LogObserver, LogStore } from './ports.ts';
import type { LogRoute } from './route-types.ts';
import { createLogRoutes } from './routes.ts';
import { createCachedKeyParser } from './entries/verifier-key.ts';
import type { CanonicalEntry } from './entries/types.ts';
import { createSequencer } from './sequencer.ts';

/** Options of the log service. */
export interface LogServiceOptions {
  readonly store: LogStore;
  readonly signer: LogSigner;
  /** the URL clients know the log by; its host is the checkpoint key name and origin prefix */
  readonly publicUrl: string;
  readonly clock: Clock;
  /** defaults to a tree ID derived from the log ID, so replicas sharing the key agree */
  readonly treeId?: bigint;
  /** group commit: a batch closes after this many entries (default 256) ... */
  readonly maxBatchEntries?: number;
  /** ... or after this many milliseconds (default 5) */
  readonly maxBatchDelayMs?: number;
  /** how often a replica that is not the sequencer tries to become it (default 1000) */
  readonly leasePollMs?: number;
  /** largest request body accepted (default 32 MiB) */
  readonly maxBodyBytes?: number;
  /** most entry IDs an index search returns (default 1000) */
  readonly maxSearchResults?: number;
  /** canonicalizes proposed entries elsewhere (a worker-thread pool); default: on the caller's thread */
  readonly parseEntry?: (bytes: Uint8Array) => Promise<CanonicalEntry>;
  /** sees every committed batch and refused duplicate (metrics) */
  readonly observer?: LogObserver;
}

/** A log service ready to mount. */
export interface LogService {
  readonly routes: readonly LogRoute[];
  readonly api: LogApi;
  readonly treeId: bigint;
  readonly logIdHex: string;
  readonly publicKeyPem: string;
  /** the checkpoint origin line, `<host> - <tree ID>` */
  readonly origin: string;
  /** True while this replica sequences writes. */
  isSequencing(): boolean;
  /** Starts competing for the sequencer lease (reads work before and without it). */
  start(): Promise<void>;
  /** Stops sequencing and releases the lease; the store stays open (its owner closes it). */
  stop(): Promise<void>;
}

/**
 * Builds the log service.
 * @throws ERR_INPUT_INVALID when publicUrl is not an absolute URL
 */
export function createLogService(options: LogServiceOptions): LogService {
  let host: string;
  try {
    host = new URL(options.publicUrl).host;
  } catch {
    throw new InputError('ERR_INPUT_INVALID', `public url ${JSON.stringify(options.publicUrl)} is not an absolute url`);
  }
  const key = logKeyInfo(options.signer);
  const treeId = options.treeId ?? treeIdFromLogId(key.logId);
  const origin = rekorV1Origin(host, treeId);
  const checkpointSigner = createCheckpointSigner(options.signer, host);
  const sequencer = createSequencer({
    store: options.store, clock: options.clock, checkpointSigner, origin,
    maxBatchEntries: options.maxBatchEntries ?? 256,
    maxBatchDelayMs: options.maxBatchDelayMs ?? 5,
    leasePollMs: options.leasePollMs ?? 1000,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
  });
  const api = createLogApi({
    reader: options.store, sequencer, checkpointSigner, origin, clock: options.clock,
    context: { treeId, logIdHex: key.logIdHex, signer: options.signer },
    maxSearchResults: options.maxSearchResults ?? 1000,
    ...(options.observer === undefined ? {} : { observer: options.observer }),
  });
  const routes = createLogRoutes({ api, treeId, publicKeyPem: key.publicKeyPem, maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    parseKey: createCachedKeyParser(1024),
    ...(options.parseEntry === undefined ? {} : { parseEntry: options.parseEntry }),
  });
  return {
    routes, api, treeId, origin, logIdHex: key.logIdHex, publicKeyPem: key.publicKeyPem,
    isSequencing: () => sequencer.isSequencing(),
    start: () => sequencer.start(),
    stop: () => sequencer.stop(),
  };
}
