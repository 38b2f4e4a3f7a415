/**
 * Many bundles at once: the job and outcome shapes that the worker-thread pool
 * (server/bundle-verify-pool.ts) exchanges, and the same work done in the calling thread. A job
 * carries the bundle's JSON (bytes or text) and the artifact; an outcome is the verification or
 * the error verifyBundle threw, one per job and in job order.
 */
import { parseBundle } from '../bundle/index.ts';
import { verifyBundle, type ArtifactInput, type BundleVerification, type VerifyBundleOptions } from './bundle-verifier.ts';

/** One bundle to verify: its JSON (bytes or text) and the artifact it should sign. */
export interface BundleJob {
  readonly bundle: Uint8Array | string;
  readonly artifact: ArtifactInput;
}

/** What became of one job: the verification, or the error parsing or verifying threw. */
export type BundleOutcome =
  | { readonly status: 'verified'; readonly verification: BundleVerification }
  | { readonly status: 'failed'; readonly error: unknown };

/** Parses and verifies one job; throws what parseBundle or verifyBundle throws. */
export function verifyBundleJob(job: BundleJob, options: VerifyBundleOptions): BundleVerification {
  return verifyBundle(parseBundle(job.bundle), job.artifact, options);
}

/** Settles one job: never throws, the error is the outcome. */
export function settleBundleJob(job: BundleJob, options: VerifyBundleOptions): BundleOutcome {
  try {
    return { status: 'verified', verification: verifyBundleJob(job, options) };
  } catch (error) {
    return { status: 'failed', error };
  }
}

/** Verifies every job in this thread, one after another; outcomes in job order. */
export function verifyBundlesHere(jobs: readonly BundleJob[], options: VerifyBundleOptions): BundleOutcome[] {
  return jobs.map((job) => settleBundleJob(job, options));
}
