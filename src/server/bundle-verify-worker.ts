/**
 * Worker thread of the bundle verification pool: parses and verifies batches of bundles. A
 * bundle that fails comes back as `failed`; the main thread then verifies it itself, so the
 * caller gets exactly the error a single-threaded verification throws.
 */
import { parentPort } from 'node:worker_threads';
import { parseTrustedRoot, verifyBundleJob, type BundleJob, type BundleVerification, type TrustedRoot, type VerificationPolicy } from '../verify/index.ts';

/** A batch for the worker. `root` comes along the first time the worker needs root `rootId`. */
export interface VerifyRequest {
  readonly id: number;
  readonly rootId: number;
  readonly root?: string;
  readonly policy: VerificationPolicy;
  /** the batch's "now", read once from the caller's clock */
  readonly nowMs: number;
  readonly ignoreSct: boolean;
  readonly jobs: readonly BundleJob[];
}

/** The worker's answer: per job, the verification or that it failed. */
export interface VerifyAnswer {
  readonly id: number;
  readonly outcomes: readonly ({ readonly verification: BundleVerification } | { readonly failed: true })[];
}

const roots = new Map<number, TrustedRoot>();

function rootOf(request: VerifyRequest): TrustedRoot | undefined {
  let root = roots.get(request.rootId);
  if (root === undefined && request.root !== undefined) {
    try { root = parseTrustedRoot(new TextEncoder().encode(request.root)); } catch { return undefined; }
    roots.set(request.rootId, root);
  }
  return root;
}

parentPort?.on('message', (request: VerifyRequest) => {
  const trustedRoot = rootOf(request);
  const now = new Date(request.nowMs);
  const options = { trustedRoot, policy: request.policy, clock: () => now, ignoreSct: request.ignoreSct };
  const outcomes = request.jobs.map((job) => {
    if (options.trustedRoot === undefined) return { failed: true as const };
    try {
      return { verification: verifyBundleJob(job, { ...options, trustedRoot: options.trustedRoot }) };
    } catch {
      return { failed: true as const };
    }
  });
  parentPort?.postMessage({ id: request.id, outcomes } satisfies VerifyAnswer);
});
