// The bundle verification pool gives exactly what the calling thread gives: the same
// verifications, and for bad bundles errors of the same class, code, message and cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUtf8, encodeUtf8 } from '../../src/core/index.ts';
import { startBundleVerifyPool } from '../../src/server/bundle-verify-pool.ts';
import {
  createMatcher, toTrustedRoot, verifyBundlesHere,
  type BundleJob, type BundleOutcome, type TrustedRoot, type VerifyBundleOptions,
} from '../../src/verify/index.ts';
import { createKeylessAuthority } from '../support/keyless-authority.ts';
import { signBlobBundle } from '../support/keyless-signatures.ts';

const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const identity = { san: SAN, issuer: ISSUER };

const authority = await createKeylessAuthority({ caCurve: 'P-256' });
const trustedRoot = toTrustedRoot(authority.trustedRoot);
const options: VerifyBundleOptions = {
  trustedRoot,
  policy: { kind: 'identity', identities: [{ subject: createMatcher('exact', SAN), issuer: createMatcher('exact', ISSUER) }] },
  clock: () => new Date(),
};

const good: BundleJob[] = [];
for (let i = 0; i < 12; i += 1) {
  const data = encodeUtf8(`artifact ${i}`);
  good.push({ bundle: await signBlobBundle(authority, identity, data), artifact: { kind: 'bytes', data } });
}

function mutate(job: BundleJob, edit: (b: Record<string, any>) => void): BundleJob {
  const json = JSON.parse(typeof job.bundle === 'string' ? job.bundle : decodeUtf8(job.bundle)) as Record<string, any>;
  edit(json);
  return { ...job, bundle: JSON.stringify(json) };
}

const first = good[0]!;
const bad: Record<string, BundleJob> = {
  'not json': { ...first, bundle: '{"mediaType":' },
  'another artifact': { ...first, artifact: { kind: 'bytes', data: encodeUtf8('something else') } },
  'signature of another bundle': mutate(first, (b) => { b.messageSignature.signature = JSON.parse(decodeUtf8(good[1]!.bundle as Uint8Array)).messageSignature.signature; }),
  'broken SET': mutate(first, (b) => { b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = 'MEUCIQ=='; }),
  'truncated certificate': mutate(first, (b) => { b.verificationMaterial.certificate.rawBytes = b.verificationMaterial.certificate.rawBytes.slice(0, 400); }),
  'unknown log': mutate(first, (b) => { b.verificationMaterial.tlogEntries[0].logId.keyId = 'AAAA'; }),
  'no log entry': mutate(first, (b) => { b.verificationMaterial.tlogEntries = []; }),
};

function errorShape(error: unknown): unknown {
  const chain: unknown[] = [];
  for (let e = error; e instanceof Error; e = e.cause) chain.push({ class: e.constructor.name, code: (e as { code?: unknown }).code, message: e.message });
  return chain;
}

function shape(outcomes: readonly BundleOutcome[]): unknown[] {
  return outcomes.map((o) => (o.status === 'verified' ? o : { status: o.status, error: errorShape(o.error) }));
}

test('workers verify good and bad bundles exactly as the calling thread does', async () => {
  const pool = startBundleVerifyPool(2);
  try {
    const jobs = [...good.slice(0, 6), ...Object.values(bad), ...good.slice(6)];
    const here = verifyBundlesHere(jobs, options);
    const pooled = await pool.verifyBundles(jobs, options);
    assert.equal(pooled.length, jobs.length);
    assert.deepEqual(shape(pooled), shape(here));
    assert.equal(pooled.filter((o) => o.status === 'verified').length, good.length);
    // every bad bundle failed with an AppError code, not an internal error
    for (const o of pooled.slice(6, 6 + Object.keys(bad).length)) {
      assert.equal(o.status, 'failed');
      assert.match(String((o as { error: { code?: unknown } }).error.code), /^ERR_(?!INTERNAL)/);
    }
  } finally {
    await pool.close();
  }
});

test('one job at a time: a verification, or a rejection with the calling thread\'s error', async () => {
  const pool = startBundleVerifyPool(1);
  try {
    const verified = await pool.verifyBundle(good[3]!, options);
    assert.deepEqual({ status: 'verified', verification: verified }, verifyBundlesHere([good[3]!], options)[0]);
    await assert.rejects(pool.verifyBundle(bad['broken SET']!, options), { code: 'ERR_TLOG_SET_INVALID' });
    await assert.rejects(pool.verifyBundle(bad['another artifact']!, options), { code: 'ERR_VERIFY_ARTIFACT_MISMATCH' });
  } finally {
    await pool.close();
  }
});

test('the policy and trust root travel to the workers: a wrong identity and a foreign root fail there too', async () => {
  const pool = startBundleVerifyPool(2);
  const other = await createKeylessAuthority({ caCurve: 'P-256' });
  try {
    const wrongIdentity = { ...options, policy: { kind: 'identity' as const, identities: [{ subject: createMatcher('exact', 'someone@else'), issuer: createMatcher('regexp', '.*') }] } };
    const foreignRoot = { ...options, trustedRoot: toTrustedRoot(other.trustedRoot) };
    for (const o of [wrongIdentity, foreignRoot]) {
      const pooled = await pool.verifyBundles(good.slice(0, 4), o);
      assert.deepEqual(shape(pooled), shape(verifyBundlesHere(good.slice(0, 4), o)));
      assert.ok(pooled.every((p) => p.status === 'failed'));
    }
    // the first root is still known to the workers and still verifies
    assert.ok((await pool.verifyBundles(good, options)).every((p) => p.status === 'verified'));
  } finally {
    await pool.close();
  }
});

test('good bundles are verified on the workers: the calling thread reads the clock once per call, not per bundle', async () => {
  const pool = startBundleVerifyPool(2);
  try {
    let reads = 0;
    const counted = { ...options, clock: () => { reads += 1; return new Date(); } };
    const pooled = await pool.verifyBundles(good, counted);
    assert.ok(pooled.every((p) => p.status === 'verified'));
    assert.equal(reads, 1);
    verifyBundlesHere(good, counted);
    assert.equal(reads, 1 + good.length);
  } finally {
    await pool.close();
  }
});

test('a root built by hand, and jobs after close, are verified on the calling thread', async () => {
  const pool = startBundleVerifyPool(1);
  const byHand: TrustedRoot = { ...trustedRoot };
  const pooled = await pool.verifyBundles(good.slice(0, 2), { ...options, trustedRoot: byHand });
  assert.ok(pooled.every((p) => p.status === 'verified'));
  await pool.close();
  const afterClose = await pool.verifyBundles([good[0]!, bad['broken SET']!], options);
  assert.deepEqual(shape(afterClose), shape(verifyBundlesHere([good[0]!, bad['broken SET']!], options)));
});
