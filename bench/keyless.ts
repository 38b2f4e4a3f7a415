// Keyless verification benchmark (keyless issue, item 7): the same 1,000 Sigstore bundles v0.3,
// each a message signature over its own artifact by its own Fulcio-profile certificate (embedded
// SCT) with a Rekor entry (SET, inclusion proof, signed checkpoint), verified in process by sigil
// (parseBundle + verifyBundle with an identity policy on one thread, and verifyBundles on the
// worker pool) and by sigstore-js (@sigstore/verify 4.1.3: bundleFromJSON + Verifier.verify with
// the same policy, single-threaded by design), against the same trusted root. All start from the
// bundle's JSON text. Each verifier runs a warm-up pass, then ROUNDS timed passes alternating with
// the others; the best pass of each is reported (the machine is shared). Two bundle sets: a P-384
// CA as Fulcio's, and a P-256 CA (every check one P-256 verification). The ceiling is the ECDSA
// work a bundle needs, timed in the same run. Bundles are made once and kept in the system temp
// directory, since the mock CA takes about a minute per thousand.
import { createRequire } from 'node:module';
import { generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8, encodeUtf8 } from '../src/core/index.ts';
import { parseBundle } from '../src/bundle/index.ts';
import { toTrustedRoot, verifyBundle, type BundleJob, type VerificationPolicy } from '../src/verify/index.ts';
import { startBundleVerifyPool, type BundleVerifyPool } from '../src/server/bundle-verify-pool.ts';
import { createKeylessAuthority } from '../test/support/keyless-authority.ts';
import { signBlobBundle } from '../test/support/keyless-signatures.ts';

const COUNT = 1000;
const ROUNDS = 3;
const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
type Curve = 'P-256' | 'P-384';

interface Fixture { readonly root: Record<string, unknown>; readonly items: readonly { readonly artifact: string; readonly bundle: string }[] }

async function makeFixture(caCurve: Curve): Promise<Fixture> {
  const cache = join(tmpdir(), `sigil-bench-keyless-${caCurve}-${COUNT}-v1.json`);
  try { return JSON.parse(await readFile(cache, 'utf8')) as Fixture; } catch { /* made below */ }
  const authority = await createKeylessAuthority({ caCurve });
  const items = [];
  for (let i = 0; i < COUNT; i += 1) {
    const artifact = `artifact ${i} ${'x'.repeat(64)}`;
    items.push({ artifact, bundle: decodeUtf8(await signBlobBundle(authority, { san: SAN, issuer: ISSUER }, encodeUtf8(artifact))) });
  }
  const fixture = { root: authority.trustedRoot, items };
  await writeFile(cache, JSON.stringify(fixture));
  return fixture;
}

type Pass = () => void;

function sigilPass(f: Fixture): Pass {
  const trustedRoot = toTrustedRoot(f.root);
  const policy: VerificationPolicy = { kind: 'identity', identities: [{ subject: { kind: 'exact', value: SAN }, issuer: { kind: 'exact', value: ISSUER } }] };
  const clock = (): Date => new Date();
  const items = f.items.map((i) => ({ artifact: encodeUtf8(i.artifact), bundle: i.bundle }));
  return () => {
    for (const item of items) {
      verifyBundle(parseBundle(item.bundle), { kind: 'bytes', data: item.artifact }, { trustedRoot, policy, clock });
    }
  };
}

type AsyncPass = () => Promise<void>;

/** The same verification through verifyBundles on the worker pool; every bundle must verify. */
function sigilPoolPass(f: Fixture, pool: BundleVerifyPool): AsyncPass {
  const trustedRoot = toTrustedRoot(f.root);
  const policy: VerificationPolicy = { kind: 'identity', identities: [{ subject: { kind: 'exact', value: SAN }, issuer: { kind: 'exact', value: ISSUER } }] };
  const jobs: BundleJob[] = f.items.map((i) => ({ artifact: { kind: 'bytes', data: encodeUtf8(i.artifact) }, bundle: i.bundle }));
  return async () => {
    const outcomes = await pool.verifyBundles(jobs, { trustedRoot, policy, clock: () => new Date() });
    const failed = outcomes.find((o) => o.status === 'failed');
    if (failed) throw new Error(`a pooled verification failed: ${String(failed.status === 'failed' ? failed.error : '')}`);
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- sigstore-js ships CommonJS typings loaded through require */
function sigstoreJsPass(f: Fixture): Pass {
  const require = createRequire(import.meta.url);
  const { bundleFromJSON } = require('@sigstore/bundle') as any;
  const { TrustedRoot } = require('@sigstore/protobuf-specs') as any;
  const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify') as any;
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(f.root)), { ctlogThreshold: 1, tlogThreshold: 1, timestampThreshold: 1 });
  const policy = { subjectAlternativeName: SAN, extensions: { issuer: ISSUER } };
  const items = f.items.map((i) => ({ artifact: Buffer.from(i.artifact), bundle: i.bundle }));
  return () => {
    for (const item of items) verifier.verify(toSignedEntity(bundleFromJSON(JSON.parse(item.bundle)), item.artifact), policy);
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

async function time(pass: Pass | AsyncPass): Promise<number> {
  const started = performance.now();
  await pass();
  return (performance.now() - started) / 1000;
}

/**
 * A pass of the ECDSA work the fixture's bundles need, with node:crypto: per bundle, reading the
 * leaf key from its certificate (node's X509Certificate, the cheapest import node offers, as sigil
 * does) and verifying the artifact signature with it, three P-256 verifications with keys already
 * imported (SCT, SET, checkpoint), and one with a CA key of the CA's curve (the leaf certificate).
 * Timed in the same rounds as the verifiers, so the share of it is measured side by side.
 */
function ecdsaCeilingPass(ca: Curve, f: Fixture): Pass {
  const data = Buffer.alloc(600, 7);
  const pair = (curve: Curve) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const hash = curve === 'P-256' ? 'sha256' : 'sha384';
    return { publicKey, hash, sig: sign(hash, data, privateKey) };
  };
  const leaves = f.items.map((i) => {
    const b = JSON.parse(i.bundle) as { verificationMaterial: { certificate: { rawBytes: string } }; messageSignature: { signature: string } };
    return { cert: Buffer.from(b.verificationMaterial.certificate.rawBytes, 'base64'), artifact: Buffer.from(i.artifact), sig: Buffer.from(b.messageSignature.signature, 'base64') };
  });
  const log = pair('P-256');
  const issuer = pair(ca);
  return () => {
    for (const leaf of leaves) {
      let ok = verify('sha256', leaf.artifact, new X509Certificate(leaf.cert).publicKey, leaf.sig);
      for (let i = 0; i < 3; i += 1) ok = verify('sha256', data, log.publicKey, log.sig) && ok;
      ok = verify(issuer.hash, data, issuer.publicKey, issuer.sig) && ok;
      if (!ok) throw new Error('a ceiling signature did not verify');
    }
  };
}

interface Row { readonly ca: Curve; readonly sigil: number; readonly pooled: number; readonly sjs: number; readonly ceiling: number; readonly makeSeconds: number }

async function measure(ca: Curve, pool: BundleVerifyPool): Promise<Row> {
  const made = performance.now();
  const fixture = await makeFixture(ca);
  const makeSeconds = (performance.now() - made) / 1000;
  const sigil = sigilPass(fixture);
  const pooled = sigilPoolPass(fixture, pool);
  const sjs = sigstoreJsPass(fixture);
  const ecdsa = ecdsaCeilingPass(ca, fixture);
  sigil();
  await pooled();
  sjs();
  ecdsa();
  const s: number[] = [];
  const p: number[] = [];
  const j: number[] = [];
  const e: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    e.push(await time(ecdsa));
    s.push(await time(sigil));
    p.push(await time(pooled));
    j.push(await time(sjs));
  }
  return { ca, sigil: COUNT / Math.min(...s), pooled: COUNT / Math.min(...p), sjs: COUNT / Math.min(...j), ceiling: COUNT / Math.min(...e), makeSeconds };
}

/** Runs the keyless benchmark; returns the markdown section for docs/benchmarks.md. `_seconds` is unused. */
export async function runKeylessBench(_seconds: number): Promise<string> {
  const pool = startBundleVerifyPool();
  let rows: Row[];
  try {
    rows = [await measure('P-384', pool), await measure('P-256', pool)];
  } finally {
    await pool.close();
  }
  const load = loadavg()[0] ?? 0;
  const x = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
  const line = (r: Row): string => `| ${r.ca === 'P-384' ? 'P-384 (as Fulcio)' : 'P-256'} | ${r.sigil.toFixed(0)} | ${r.pooled.toFixed(0)} | ${r.sjs.toFixed(0)} | **${x(r.sigil, r.sjs)}** | **${x(r.pooled, r.sjs)}** | ${r.ceiling.toFixed(0)} | ${((r.sigil / r.ceiling) * 100).toFixed(0)}% | ${((r.pooled / (r.ceiling * pool.threads)) * 100).toFixed(0)}% |`;
  return [
    `In-process verification of the same ${COUNT} Sigstore bundles v0.3 by sigil and by @sigstore/verify 4.1.3, from JSON text to a verified identity, with the same trusted root and identity policy (SAN and issuer). Each bundle is a message signature over its own artifact with its own Fulcio-profile certificate (embedded SCT) from the @sigstore/mock CA, and a Rekor v1 entry with SET, inclusion proof and signed checkpoint. One warm-up pass each, then ${ROUNDS} timed passes alternating (the ECDSA ceiling too); the best pass of each. The machine has ${cpus().length} cores shared with other work (load average ${load.toFixed(1)} at the end of this run).`,
    '',
    `**sigil, one thread**: \`parseBundle\` + \`verifyBundle\` on the main thread, one bundle after another. **sigil, pooled**: \`verifyBundles\` on a pool of ${pool.threads} worker threads (one per core), the jobs split into batches; the time runs from handing over the JSON texts to holding every verification. **@sigstore/verify** is single-threaded by design (\`bundleFromJSON\` + \`Verifier.verify\`, synchronous), so it is measured on one thread only. The ceiling is the ECDSA work one bundle needs on one core, timed with node:crypto in the same rounds: reading each bundle's leaf key from its certificate (node's X509Certificate, as sigil does) and verifying the artifact signature with it, three P-256 verifications with known keys, and one with a key of the CA's curve. Making the bundles took ${rows.map((r) => `${r.makeSeconds.toFixed(1)} s`).join(' and ')} (0 when cached).`,
    '',
    '| CA key | sigil one thread, bundles/s | sigil pooled, bundles/s | @sigstore/verify bundles/s | ratio, one thread | ratio, pooled | ECDSA ceiling per core, bundles/s | one thread of ceiling | pooled of ceiling × threads |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(line),
    '',
    'Target: sigil at least 20x @sigstore/verify.',
  ].join('\n');
}
