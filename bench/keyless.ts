// Keyless verification benchmark (keyless issue, item 7): the same 1,000 Sigstore bundles v0.3,
// each a message signature over its own artifact by its own Fulcio-profile certificate (embedded
// SCT) with a Rekor entry (SET, inclusion proof, signed checkpoint), verified in process by sigil
// (parseBundle + verifyBundle with an identity policy) and by sigstore-js (@sigstore/verify 4.1.3:
// bundleFromJSON + Verifier.verify with the same policy), against the same trusted root.
// Both start from the bundle's JSON text. Each verifier runs a warm-up pass, then ROUNDS timed
// passes alternating with the other; the best pass of each is reported (the machine is shared).
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { decodeUtf8, encodeUtf8 } from '../src/core/index.ts';
import { parseBundle } from '../src/bundle/index.ts';
import { toTrustedRoot, verifyBundle, type VerificationPolicy } from '../src/verify/index.ts';
import { createKeylessAuthority } from '../test/support/keyless-authority.ts';
import { signBlobBundle } from '../test/support/keyless-signatures.ts';

const COUNT = 1000;
const ROUNDS = 3;
const SAN = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

interface Fixture { readonly root: Record<string, unknown>; readonly items: readonly { readonly artifact: Uint8Array; readonly bundle: string }[] }

async function makeFixture(): Promise<Fixture> {
  const authority = await createKeylessAuthority();
  const items = [];
  for (let i = 0; i < COUNT; i += 1) {
    const artifact = encodeUtf8(`artifact ${i} ${'x'.repeat(64)}`);
    items.push({ artifact, bundle: decodeUtf8(await signBlobBundle(authority, { san: SAN, issuer: ISSUER }, artifact)) });
  }
  return { root: authority.trustedRoot, items };
}

type Pass = () => void;

function sigilPass(f: Fixture): Pass {
  const trustedRoot = toTrustedRoot(f.root);
  const policy: VerificationPolicy = { kind: 'identity', identities: [{ subject: { kind: 'exact', value: SAN }, issuer: { kind: 'exact', value: ISSUER } }] };
  const clock = (): Date => new Date();
  return () => {
    for (const item of f.items) {
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
  return () => {
    for (const item of f.items) {
      verifier.verify(toSignedEntity(bundleFromJSON(JSON.parse(item.bundle)), Buffer.from(item.artifact)), policy);
    }
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function time(pass: Pass): number {
  const started = performance.now();
  pass();
  return (performance.now() - started) / 1000;
}

/** Runs the keyless benchmark; returns the markdown section for docs/benchmarks.md. `_seconds` is unused. */
export async function runKeylessBench(_seconds: number): Promise<string> {
  const made = performance.now();
  const fixture = await makeFixture();
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
  const sigilRate = COUNT / Math.min(...s);
  const sjsRate = COUNT / Math.min(...j);
  return [
    `In-process verification of the same ${COUNT} Sigstore bundles v0.3 (each a message signature over its own artifact, its own Fulcio-profile certificate with an embedded SCT issued by the @sigstore/mock CA, and a Rekor v1 entry with SET, inclusion proof and signed checkpoint), from JSON text to a verified identity, by sigil's \`verifyBundle\` and by @sigstore/verify 4.1.3 with the same trusted root and identity policy (SAN and issuer). One warm-up pass each, then ${ROUNDS} timed passes alternating; the best pass of each. Making the bundles took ${makeSeconds.toFixed(1)} s. One core (of ${cpus().length}, shared with other work).`,
    '',
    '| verifier | bundles/s | ms per bundle |',
    '| --- | ---: | ---: |',
    `| sigil | ${sigilRate.toFixed(0)} | ${(1000 / sigilRate).toFixed(3)} |`,
    `| @sigstore/verify 4.1.3 | ${sjsRate.toFixed(0)} | ${(1000 / sjsRate).toFixed(3)} |`,
    '',
    `sigil / @sigstore/verify: **${(sigilRate / sjsRate).toFixed(1)}x** (target: at least 20x).`,
  ].join('\n');
}
