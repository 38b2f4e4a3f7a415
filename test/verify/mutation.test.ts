// Seeded single-byte mutations of the binary parts of real bundles (certificate, timestamp,
// signature, log body, SET, proof hashes): verification must fail with a catalogue code and never
// crash with a foreign error. Only a timestamp may survive a mutation, because CMS leaves parts of
// a TimeStampResp unsigned (status, the outer version, embedded certificates a trust root makes
// redundant); then the verified time must be the original one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../src/core/index.ts';
import type { Bundle } from '../../src/bundle/index.ts';
import { createMatcher, verifyBundle } from '../../src/verify/index.ts';
import { loadCase } from './corpus.ts';

function seeded(seed: number): () => number {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
}

type Mutator = (b: Bundle, change: (bytes: Uint8Array) => Uint8Array) => Bundle;
const withEntry = (b: Bundle, f: (e: Bundle['verificationMaterial']['tlogEntries'][number]) => Bundle['verificationMaterial']['tlogEntries'][number]): Bundle => ({
  ...b, verificationMaterial: { ...b.verificationMaterial, tlogEntries: b.verificationMaterial.tlogEntries.map(f) },
});
const MUTATORS: Record<string, Mutator> = {
  certificate: (b, ch) => {
    const s = b.verificationMaterial.signer;
    const signer = s.kind === 'certificate' ? { kind: 'certificate' as const, certificate: ch(s.certificate) }
      : s.kind === 'x509-chain' ? { kind: 'x509-chain' as const, certificates: s.certificates.map(ch) } : s;
    return { ...b, verificationMaterial: { ...b.verificationMaterial, signer } };
  },
  timestamp: (b, ch) => ({ ...b, verificationMaterial: { ...b.verificationMaterial, rfc3161Timestamps: b.verificationMaterial.rfc3161Timestamps.map(ch) } }),
  signature: (b, ch) => (b.content.kind === 'message'
    ? { ...b, content: { ...b.content, signature: ch(b.content.signature) } }
    : { ...b, content: { ...b.content, signatures: b.content.signatures.map((x) => ({ ...x, sig: ch(x.sig) })) } }),
  payload: (b, ch) => (b.content.kind === 'dsse' ? { ...b, content: { ...b.content, payload: ch(b.content.payload) } } : b),
  body: (b, ch) => withEntry(b, (e) => ({ ...e, canonicalizedBody: ch(e.canonicalizedBody) })),
  proof: (b, ch) => withEntry(b, (e) => (e.inclusionProof ? { ...e, inclusionProof: { ...e.inclusionProof, hashes: e.inclusionProof.hashes.map(ch) } } : e)),
  set: (b, ch) => withEntry(b, (e) => (e.inclusionPromise ? { ...e, inclusionPromise: { signedEntryTimestamp: ch(e.inclusionPromise.signedEntryTimestamp) } } : e)),
};

for (const name of ['happy-path-v0.3', 'rekor2-happy-path', 'happy-path-intoto-in-dsse-v3', 'happy-path-v0.1']) {
  test(`${name}: every single-byte mutation fails with a catalogue code`, () => {
    const c = loadCase(name);
    const options = { trustedRoot: c.root, policy: { kind: 'identity' as const, identities: [{ subject: createMatcher('exact', c.identity), issuer: createMatcher('exact', c.issuer) }] }, clock: () => new Date('2026-11-01T00:00:00Z') };
    const original = verifyBundle(c.bundle, { kind: 'bytes', data: c.artifact }, options);
    const random = seeded(7);
    for (const [part, mutate] of Object.entries(MUTATORS)) {
      for (let round = 0; round < 25; round++) {
        let changed = false;
        const mutated = mutate(c.bundle, (bytes) => {
          if (bytes.byteLength === 0) return bytes;
          const out = bytes.slice();
          const at = Math.floor(random() * out.byteLength);
          out[at] = (out[at] ?? 0) ^ (1 + Math.floor(random() * 255));
          changed = true;
          return out;
        });
        if (!changed) continue;
        let result: ReturnType<typeof verifyBundle> | undefined;
        try {
          result = verifyBundle(mutated, { kind: 'bytes', data: c.artifact }, options);
        } catch (error) {
          assert.ok(isAppError(error), `${part} round ${round}: ${String(error)}`);
          continue;
        }
        assert.equal(part, 'timestamp', `${part} round ${round} verified after a mutation`);
        assert.deepEqual(result.verifiedTimes, original.verifiedTimes);
      }
    }
  });
}
