/**
 * `sigil verify-bundle` with many artifact/bundle pairs: every pair is verified (on worker threads
 * from POOL_MIN_BUNDLES pairs on, or as --threads says), each result printed in the order given,
 * and the exit status is that of the first pair that failed. An input that cannot be read fails
 * its own pair only.
 */
import { availableParallelism } from 'node:os';
import { isAppError } from '../../core/index.ts';
import { startBundleVerifyPool } from '../../server/bundle-verify-pool.ts';
import {
  verifyBundlesHere, type ArtifactInput, type BundleJob, type BundleOutcome, type TrustedRoot, type VerificationPolicy,
} from '../../verify/index.ts';
import { reportError } from '../exit.ts';
import type { CommandContext } from '../main.ts';
import { writeJson } from '../output.ts';
import { POOL_MIN_BUNDLES } from './verify-bundle.ts';
import { describeVerification } from './verify-bundle-run.ts';

/** One artifact argument and its bundle file. */
export interface BundlePair { readonly arg: string; readonly bundle: string }

/** What the pairs are verified under, and how inputs are read. */
export interface ManyBundlesOptions {
  readonly policy: VerificationPolicy;
  readonly trustedRoot: TrustedRoot;
  readonly format: 'text' | 'json';
  /** worker threads; undefined: one per core from POOL_MIN_BUNDLES pairs on */
  readonly threads: number | undefined;
  readonly read: {
    bundle(path: string): Promise<Uint8Array>;
    artifact(arg: string): Promise<ArtifactInput>;
  };
}

const READ_CONCURRENCY = 32;

type Read = { readonly job: BundleJob } | { readonly error: unknown };

async function readPairs(pairs: readonly BundlePair[], o: ManyBundlesOptions): Promise<Read[]> {
  const out: Read[] = [];
  for (let i = 0; i < pairs.length; i += READ_CONCURRENCY) {
    out.push(...await Promise.all(pairs.slice(i, i + READ_CONCURRENCY).map(async (p): Promise<Read> => {
      try {
        const [bundle, artifact] = await Promise.all([o.read.bundle(p.bundle), o.read.artifact(p.arg)]);
        return { job: { bundle, artifact } };
      } catch (error) {
        if (!isAppError(error)) throw error;
        return { error };
      }
    })));
  }
  return out;
}

async function verifyJobs(jobs: readonly BundleJob[], o: ManyBundlesOptions): Promise<BundleOutcome[]> {
  const options = { trustedRoot: o.trustedRoot, policy: o.policy, clock: () => new Date() };
  const threads = o.threads ?? (jobs.length >= POOL_MIN_BUNDLES ? availableParallelism() : 0);
  if (threads === 0 || jobs.length === 0) return verifyBundlesHere(jobs, options);
  const pool = startBundleVerifyPool(Math.min(threads, jobs.length));
  try {
    return await pool.verifyBundles(jobs, options);
  } finally {
    await pool.close();
  }
}

function errorJson(error: unknown): Record<string, unknown> {
  return isAppError(error) ? { code: error.code, message: error.message } : { code: 'ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Verifies every pair, prints one result per pair, sets the exit status of the first failure. */
export async function verifyManyBundles(ctx: CommandContext, pairs: readonly BundlePair[], o: ManyBundlesOptions): Promise<void> {
  const reads = await readPairs(pairs, o);
  const jobs = reads.flatMap((r) => ('job' in r ? [r.job] : []));
  const verified = await verifyJobs(jobs, o);
  let next = 0;
  const outcomes: BundleOutcome[] = reads.map((r) => ('job' in r ? verified[next++] ?? { status: 'failed', error: new Error('missing outcome') } : { status: 'failed', error: r.error }));
  let status = 0;
  const json: Record<string, unknown>[] = [];
  outcomes.forEach((outcome, i) => {
    const pair = pairs[i] ?? { arg: '', bundle: '' };
    if (outcome.status === 'verified') {
      if (o.format === 'json') json.push({ artifact: pair.arg, bundle: pair.bundle, ...describeVerification(outcome.verification) });
      else ctx.io.stdout.write(`Verified OK: ${pair.arg}\n`);
      return;
    }
    const exit = reportError(outcome.error, ctx.io.stderr, false, pair.arg);
    if (status === 0) status = exit;
    if (o.format === 'json') json.push({ artifact: pair.arg, bundle: pair.bundle, verified: false, error: errorJson(outcome.error) });
  });
  if (o.format === 'json') writeJson(ctx.io.stdout, json);
  ctx.exitCode = status;
}
