/**
 * Verifies many Sigstore bundles on worker threads, one per core: `verifyBundles` splits the jobs
 * into batches and gives each to the worker with the fewest jobs in flight. A worker sends back
 * each verification, or only that a job failed; failed jobs are verified again on the calling
 * thread, which throws (and the outcome carries) the very error a single-threaded verification
 * gives. A trust root travels to each worker once, as the JSON text it was parsed from.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  settleBundleJob, trustedRootSourceOf, verifyBundlesHere,
  type BundleJob, type BundleOutcome, type BundleVerification, type TrustedRoot, type VerifyBundleOptions,
} from '../verify/index.ts';
import type { VerifyAnswer, VerifyRequest } from './bundle-verify-worker.ts';

/** Bundle verification spread over worker threads. */
export interface BundleVerifyPool {
  /** How many worker threads verify. */
  readonly threads: number;
  /** Verifies every job; outcomes in job order, as verifyBundlesHere gives them. Never rejects for a bad bundle. */
  verifyBundles(jobs: readonly BundleJob[], options: VerifyBundleOptions): Promise<BundleOutcome[]>;
  /** Verifies one job; rejects with the error verifyBundle throws. */
  verifyBundle(job: BundleJob, options: VerifyBundleOptions): Promise<BundleVerification>;
  /** Stops the workers; jobs in flight are verified on the calling thread instead. */
  close(): Promise<void>;
}

interface Batch {
  readonly jobs: readonly BundleJob[];
  readonly options: VerifyBundleOptions;
  resolve(outcomes: BundleOutcome[]): void;
}

interface Lane { readonly worker: Worker; readonly waiting: Map<number, Batch>; readonly roots: Set<number>; inFlight: number }

const MAX_BATCH_JOBS = 64;

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './bundle-verify-worker.ts' : './bundle-verify-worker.mjs', import.meta.url);
}

/** Batches of at most MAX_BATCH_JOBS, about four per thread so that the threads finish together. */
function split(jobs: readonly BundleJob[], threads: number): BundleJob[][] {
  const size = Math.max(1, Math.min(MAX_BATCH_JOBS, Math.ceil(jobs.length / (threads * 4))));
  const out: BundleJob[][] = [];
  for (let i = 0; i < jobs.length; i += size) out.push(jobs.slice(i, i + size));
  return out;
}

/** The bytes alone: a view into a larger buffer would take the whole buffer along to the worker. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function toMessage(job: BundleJob): BundleJob {
  const a = job.artifact;
  return {
    bundle: typeof job.bundle === 'string' ? job.bundle : own(job.bundle),
    artifact: a.kind === 'bytes' ? { kind: 'bytes', data: own(a.data) } : { ...a, digest: own(a.digest) },
  };
}

/** The workers' answer merged with the calling thread's verification of what failed there. */
function settle(batch: Batch, answer: VerifyAnswer | undefined): BundleOutcome[] {
  return batch.jobs.map((job, i) => {
    const got = answer?.outcomes[i];
    return got !== undefined && 'verification' in got ? { status: 'verified', verification: got.verification } : settleBundleJob(job, batch.options);
  });
}

/** Starts one worker; `onDead` runs once its thread errs or exits, after its batches are verified here. */
function startLane(onDead: (lane: Lane) => void): Lane {
  const lane: Lane = { worker: new Worker(workerUrl()), waiting: new Map(), roots: new Set(), inFlight: 0 };
  lane.worker.unref();
  lane.worker.on('message', (answer: VerifyAnswer) => {
    const batch = lane.waiting.get(answer.id);
    if (batch === undefined) return;
    lane.waiting.delete(answer.id);
    lane.inFlight -= batch.jobs.length;
    if (lane.inFlight === 0) lane.worker.unref();
    batch.resolve(settle(batch, answer));
  });
  const drain = (): void => {
    onDead(lane);
    for (const batch of lane.waiting.values()) batch.resolve(settle(batch, undefined));
    lane.waiting.clear();
  };
  lane.worker.on('error', drain);
  lane.worker.on('exit', drain);
  return lane;
}

/** Hands a batch to a lane's worker; resolves with its outcomes. */
function sendTo(lane: Lane, request: VerifyRequest, batch: Omit<Batch, 'resolve'>): Promise<BundleOutcome[]> {
  lane.roots.add(request.rootId);
  // a worker with jobs in flight keeps the process alive until it answers; an idle one does not
  if (lane.inFlight === 0) lane.worker.ref();
  lane.inFlight += batch.jobs.length;
  return new Promise((resolve) => {
    lane.waiting.set(request.id, { ...batch, resolve });
    lane.worker.postMessage(request);
  });
}

/**
 * Starts `threads` (>= 1; default: the cores available) worker threads. Idle workers do not keep
 * the process alive; close() stops them.
 */
export function startBundleVerifyPool(threads = availableParallelism()): BundleVerifyPool {
  let nextId = 0;
  let closed = false;
  const rootIds = new WeakMap<TrustedRoot, number>();
  // a dead worker's batches are verified here; later ones go to the other lanes, or stay here
  const lanes: Lane[] = [];
  for (let i = 0; i < Math.max(1, threads); i += 1) lanes.push(startLane((dead) => { if (lanes.includes(dead)) lanes.splice(lanes.indexOf(dead), 1); }));

  const send = (jobs: readonly BundleJob[], options: VerifyBundleOptions, source: string, nowMs: number): Promise<BundleOutcome[]> => {
    const lane = lanes.reduce<Lane | undefined>((best, l) => (best === undefined || l.inFlight < best.inFlight ? l : best), undefined);
    if (closed || lane === undefined) return Promise.resolve().then(() => verifyBundlesHere(jobs, options));
    let rootId = rootIds.get(options.trustedRoot);
    if (rootId === undefined) { rootId = nextId++; rootIds.set(options.trustedRoot, rootId); }
    const request: VerifyRequest = {
      id: nextId++, rootId, ...(lane.roots.has(rootId) ? {} : { root: source }),
      policy: options.policy, nowMs, ignoreSct: options.ignoreSct === true, jobs: jobs.map(toMessage),
    };
    return sendTo(lane, request, { jobs, options });
  };

  const verifyBundles = async (jobs: readonly BundleJob[], options: VerifyBundleOptions): Promise<BundleOutcome[]> => {
    const source = trustedRootSourceOf(options.trustedRoot);
    // a root built by hand cannot be sent to a worker: verify here
    if (source === undefined) return verifyBundlesHere(jobs, options);
    const nowMs = options.clock().getTime();
    const parts = await Promise.all(split(jobs, lanes.length).map((batch) => send(batch, options, source, nowMs)));
    return parts.flat();
  };

  return {
    threads: lanes.length,
    verifyBundles,
    async verifyBundle(job, options) {
      const [outcome] = await verifyBundles([job], options);
      if (outcome?.status !== 'verified') throw outcome?.error;
      return outcome.verification;
    },
    async close() {
      closed = true;
      await Promise.all([...lanes].map((l) => l.worker.terminate()));
    },
  };
}
