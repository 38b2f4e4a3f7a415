import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJsonBytes, encodeBase64, encodeUtf8, hashHex, signData, UpstreamError } from '../../src/core/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_SIGNATURE, SIMPLE_SIGNING_MEDIA_TYPE, buildSignatureImage, createSimpleSigningPayload, parseSignatureManifest,
} from '../../src/oci/index.ts';
import { verifyKeySignatures, type CandidateSignature, type KeyPolicy } from '../../src/verify/cosign-signatures.ts';
import { ALG, IMAGE_DIGEST as image, encodeBundleAnnotation, keyPair, pemB64 } from './cosign-fixtures.ts';

const signer = keyPair();
const log = keyPair();
const other = `sha256:${'2'.repeat(64)}`;

/** A hashedrekord entry and its cosign bundle annotation, signed by the test log. */
function bundleFor(payload: Uint8Array, sigB64: string, spki: Uint8Array): string {
  const body = canonicalJsonBytes({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { data: { hash: { algorithm: 'sha256', value: hashHex('sha256', payload) } }, signature: { content: sigB64, publicKey: { content: pemB64(spki) } } } });
  return encodeBundleAnnotation(body, log, 7);
}

interface Layer { payload: Uint8Array; annotations: Record<string, string> }
function layer(opts: { digest?: string; annotations?: Record<string, string>; key?: Uint8Array; payload?: Uint8Array; bundle?: boolean | 'other-payload' } = {}): Layer {
  const payload = opts.payload ?? createSimpleSigningPayload('127.0.0.1:5000/app', opts.digest ?? image, opts.annotations);
  const sig = encodeBase64(signData(ALG, opts.key ?? signer.pkcs8, payload));
  const annotations: Record<string, string> = { [ANNOTATION_SIGNATURE]: sig };
  if (opts.bundle) annotations[ANNOTATION_BUNDLE] = bundleFor(opts.bundle === 'other-payload' ? encodeUtf8('x') : payload, sig, signer.spki);
  return { payload, annotations };
}
function candidates(layers: Layer[]): CandidateSignature[] {
  const built = buildSignatureImage(layers.map((l) => ({ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, ...l })));
  return parseSignatureManifest(built.manifest).map((ref, i) => ({ source: `tag layer ${i}`, layer: ref, payload: layers[i]!.payload }));
}
const policy = (over: Partial<KeyPolicy> = {}): KeyPolicy => ({ imageDigest: image, publicKey: { spkiDer: signer.spki, algorithm: ALG }, logKeys: [{ spkiDer: log.spki, algorithm: ALG }], requireTlog: false, ...over });

test('a good signature verifies and its payload is returned', () => {
  const r = verifyKeySignatures(candidates([layer()]), policy());
  assert.equal(r.verified.length, 1);
  assert.equal(r.verified[0]?.payload.manifestDigest, image);
});

test('with the log required, a verified Rekor bundle passes and gives the integrated time', () => {
  const r = verifyKeySignatures(candidates([layer({ bundle: true })]), policy({ requireTlog: true }));
  assert.equal(r.verified[0]?.integratedTime, 1_700_000_000);
  assert.equal(r.verified[0]?.logIndex, 7);
});

test('one good layer among bad ones passes, and the bad ones keep their reasons', () => {
  const r = verifyKeySignatures(candidates([layer({ key: keyPair().pkcs8 }), layer()]), policy());
  assert.equal(r.verified.length, 1);
  assert.equal(r.rejected[0]?.reason.code, 'ERR_CRYPTO_SIGNATURE_INVALID');
});

const rejections: [string, () => CandidateSignature[], Partial<KeyPolicy>, string][] = [
  ['wrong-key', () => candidates([layer({ key: keyPair().pkcs8 })]), {}, 'ERR_CRYPTO_SIGNATURE_INVALID'],
  ['signature-copied-onto-another-image', () => candidates([layer({ digest: other })]), {}, 'ERR_VERIFY_CLAIM_DIGEST'],
  ['missing-annotation-claim', () => candidates([layer()]), { annotations: { env: 'prod' } }, 'ERR_VERIFY_CLAIM_ANNOTATION'],
  ['wrong-annotation-claim', () => candidates([layer({ annotations: { env: 'dev' } })]), { annotations: { env: 'prod' } }, 'ERR_VERIFY_CLAIM_ANNOTATION'],
  ['tampered-payload', () => candidates([layer()]).map((c) => ({ ...c, payload: encodeUtf8('{"critical":{}}') })), {}, 'ERR_VERIFY_PAYLOAD_DIGEST'],
  ['payload-not-json', () => candidates([layer({ payload: encodeUtf8('not json') })]), {}, 'ERR_SIGNATURE_PAYLOAD_INVALID'],
  ['no-signature-annotation', () => candidates([{ ...layer(), annotations: {} }]), {}, 'ERR_VERIFY_SIGNATURE_MISSING'],
  ['tlog-required-but-absent', () => candidates([layer()]), { requireTlog: true }, 'ERR_VERIFY_TLOG_MISSING'],
  ['bundle-for-another-payload', () => candidates([layer({ bundle: 'other-payload' })]), { requireTlog: true }, 'ERR_VERIFY_BUNDLE_MISMATCH'],
  ['bundle-from-an-untrusted-log', () => candidates([layer({ bundle: true })]), { requireTlog: true, logKeys: [{ spkiDer: keyPair().spki, algorithm: ALG }] }, 'ERR_TLOG_LOG_ID_MISMATCH'],
  ['payload-fetch-failed', () => candidates([layer()]).map((c) => ({ ...c, payload: new UpstreamError('ERR_HTTP_STATUS', 'blob answered 500') })), {}, 'ERR_HTTP_STATUS'],
];
for (const [name, make, over, code] of rejections) {
  test(`${name} is rejected with ${code}`, () => {
    assert.throws(() => verifyKeySignatures(make(), policy(over)), (e: { code?: string; details?: { rejected: { code: string }[] } }) => {
      assert.equal(e.code, 'ERR_VERIFY_NO_MATCHING_SIGNATURE');
      assert.equal(e.details?.rejected[0]?.code, code);
      return true;
    });
  });
}

test('no candidates at all is "no signatures found" (exit 10)', () => {
  assert.throws(() => verifyKeySignatures([], policy()), { code: 'ERR_VERIFY_NO_SIGNATURES', message: 'no signatures found' });
});

test('a bundle whose SET was tampered is rejected', () => {
  const l = layer({ bundle: true });
  const b = JSON.parse(l.annotations[ANNOTATION_BUNDLE]!) as { Payload: { integratedTime: number } };
  b.Payload.integratedTime += 1;
  l.annotations[ANNOTATION_BUNDLE] = JSON.stringify(b);
  assert.throws(() => verifyKeySignatures(candidates([l]), policy({ requireTlog: true })), (e: { details?: { rejected: { code: string }[] } }) => e.details?.rejected[0]?.code === 'ERR_CRYPTO_SIGNATURE_INVALID');
});
