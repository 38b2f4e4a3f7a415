// Keyless verification benchmark (keyless issue, item 7): the same 1,000 Sigstore bundles v0.3,
// each a message signature over its own artifact by its own Fulcio-profile certificate (embedded
// SCT) with a Rekor entry (SET, inclusion proof, signed checkpoint), verified in process by sigil
// (parseBundle + verifyBundle with an identity policy) and by sigstore-js (@sigstore/verify 4.1.3:
// bundleFromJSON + Verifier.verify with the same policy), against the same trusted root. Both
// start from the bundle's JSON text. Each verifier runs a warm-up pass, then ROUNDS timed passes
// alternating with the other; the best pass of each is reported (the machine is shared). Two
// bundle sets: a P-384 CA as Fulcio's, and a P-256 CA (every check one P-256 verification). The
// ceiling is the ECDSA work a bundle needs, timed in the same run. Bundles are made once and kept
// in the system temp directory, since the mock CA takes about a minute per thousand.
import { createRequire } from 'node:module';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8, encodeUtf8 } from '../src/core/index.ts';
import { parseBundle } from '../src/bundle/index.ts';
import { toTrustedRoot, verifyBundle, type VerificationPolicy } from '../src/verify/index.ts';
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
      verifyBundle(parseBundle(encodeUtf8(item.bundle)), { kind: 'bytes', data: item.artifact }, { trustedRoot, policy, clock });
    }
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

function time(pass: Pass): number {
  const started = performance.now();
  pass();
  return (performance.now() - started) / 1000;
}

/**
 * The ECDSA work of one bundle per second, timed with node:crypto for `seconds`: importing a fresh
 * P-256 leaf key and verifying with it (the artifact signature), three P-256 verifications with
 * keys already imported (SCT, SET, checkpoint), and one with the CA's key (the leaf certificate).
 */
function ecdsaCeiling(ca: Curve, seconds = 2): number {
  const data = Buffer.alloc(600, 7);
  const pair = (curve: Curve) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const hash = curve === 'P-256' ? 'sha256' : 'sha384';
    return { spki: publicKey.export({ format: 'der', type: 'spki' }), publicKey, hash, sig: sign(hash, data, privateKey) };
  };
  const leaves = Array.from({ length: 200 }, () => pair('P-256'));
  const log = pair('P-256');
  const issuer = pair(ca);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    const leaf = leaves[n % leaves.length];
    if (!leaf) break;
    verify('sha256', data, createPublicKey({ key: leaf.spki, format: 'der', type: 'spki' }), leaf.sig);
    for (let i = 0; i < 3; i += 1) verify('sha256', data, log.publicKey, log.sig);
    verify(issuer.hash, data, issuer.publicKey, issuer.sig);
    n += 1;
  }
  return n / ((performance.now() - started) / 1000);
}

interface Row { readonly ca: Curve; readonly sigil: number; readonly sjs: number; readonly ceiling: number; readonly makeSeconds: number }

async function measure(ca: Curve): Promise<Row> {
  const made = performance.now();
  const fixture = await makeFixture(ca);
  const makeSeconds = (performance.now() - made) / 1000;
  const sigil = sigilPass(fixture);
  const sjs = sigstoreJsPass(fixture);
  sigil();
  sjs();
  const s: number[] = [];
  const j: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    s.push(time(sigil));
    j.push(time(sjs));
  }
  const ceiling = ecdsaCeiling(ca);
  return { ca, sigil: COUNT / Math.min(...s), sjs: COUNT / Math.min(...j), ceiling, makeSeconds };
}

/** Runs the keyless benchmark; returns the markdown section for docs/benchmarks.md. `_seconds` is unused. */
export async function runKeylessBench(_seconds: number): Promise<string> {
  const rows = [await measure('P-384'), await measure('P-256')];
  const line = (r: Row): string => `| ${r.ca === 'P-384' ? 'P-384 (as Fulcio)' : 'P-256'} | ${r.sigil.toFixed(0)} | ${r.sjs.toFixed(0)} | **${(r.sigil / r.sjs).toFixed(1)}x** | ${r.ceiling.toFixed(0)} | ${((r.sigil / r.ceiling) * 100).toFixed(0)}% |`;
  return [
    `In-process verification of the same ${COUNT} Sigstore bundles v0.3 by sigil's \`verifyBundle\` and by @sigstore/verify 4.1.3, from JSON text to a verified identity, with the same trusted root and identity policy (SAN and issuer). Each bundle is a message signature over its own artifact with its own Fulcio-profile certificate (embedded SCT) from the @sigstore/mock CA, and a Rekor v1 entry with SET, inclusion proof and signed checkpoint. One warm-up pass each, then ${ROUNDS} timed passes alternating; the best pass of each, on one core (of ${cpus().length}, shared with other work). The ceiling is the ECDSA work one bundle needs, timed with node:crypto in the same run: importing a fresh P-256 key and verifying with it, three P-256 verifications with known keys, and one with the CA's key. Making the bundles took ${rows.map((r) => `${r.makeSeconds.toFixed(1)} s`).join(' and ')} (0 when cached).`,
    '',
    '| CA key | sigil bundles/s | @sigstore/verify bundles/s | ratio | ECDSA ceiling bundles/s | sigil of ceiling |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(line),
    '',
    'Target: sigil at least 20x @sigstore/verify.',
  ].join('\n');
}
