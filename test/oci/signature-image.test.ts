import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256Digest, encodeUtf8 } from '../../src/core/index.ts';
import {
  buildSignatureImage, parseSignatureManifest, appendSignatureLayer, createSimpleSigningPayload, parseSimpleSigningPayload,
  encodeGoJson, ANNOTATION_SIGNATURE, SIMPLE_SIGNING_MEDIA_TYPE, COSIGN_SIG_ARTIFACT_TYPE, OCI_MANIFEST, type SignatureLayer,
} from '../../src/oci/index.ts';

interface Vector { imageDigest: string; manifestDigest: string; manifest: string; config: string; payload: string }
const vectors = JSON.parse(readFileSync(new URL('../vectors/cosign-storage/signature-images.json', import.meta.url), 'utf8')) as Record<string, Vector>;
const cosign = vectors['cosign-2.5-single']!;
const skopeo = vectors['skopeo-1.18-single']!;

test('the payload for an image is byte-identical to cosign 2.5', () => {
  const payload = createSimpleSigningPayload('127.0.0.1:5055/cosigned', cosign.imageDigest);
  assert.equal(new TextDecoder().decode(payload), cosign.payload);
});

test('the signature image is byte-identical to what cosign 2.5 pushed', () => {
  const sig = JSON.parse(cosign.manifest).layers[0].annotations[ANNOTATION_SIGNATURE] as string;
  const image = buildSignatureImage([{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload: encodeUtf8(cosign.payload), annotations: { [ANNOTATION_SIGNATURE]: sig } }]);
  assert.equal(new TextDecoder().decode(image.config), cosign.config);
  assert.equal(image.config.byteLength, 233);
  assert.equal(new TextDecoder().decode(image.manifest), cosign.manifest);
  assert.equal(image.manifestDigest, cosign.manifestDigest);
  assert.equal(image.mediaType, OCI_MANIFEST);
});

for (const [name, v] of Object.entries(vectors)) {
  test(`${name}: the stored manifest parses to its layers and payload`, () => {
    const layers = parseSignatureManifest(encodeUtf8(v.manifest), OCI_MANIFEST);
    assert.equal(layers.length, 1);
    assert.equal(layers[0]?.descriptor.digest, sha256Digest(v.payload));
    assert.ok(layers[0]?.annotations[ANNOTATION_SIGNATURE]);
    const p = parseSimpleSigningPayload(encodeUtf8(v.payload));
    assert.equal(p.manifestDigest, v.imageDigest);
    assert.equal(p.type, 'cosign container image signature');
  });
}

test('skopeo payload keeps its non-string optional values', () => {
  const p = parseSimpleSigningPayload(encodeUtf8(skopeo.payload));
  assert.equal(typeof p.optional?.['timestamp'], 'number');
  assert.equal(p.dockerReference, '127.0.0.1:5055/demo:v1');
});

test('-a annotations go into optional, sorted, and Go escapes html characters', () => {
  const payload = new TextDecoder().decode(createSimpleSigningPayload('r/x', `sha256:${'a'.repeat(64)}`, { z: '1', a: '<&>' }));
  assert.match(payload, /"optional":\{"a":"\\u003c\\u0026\\u003e","z":"1"\}\}$/);
  assert.equal(new TextDecoder().decode(encodeGoJson({ s: '\u2028' })), '{"s":"\\u2028"}');
});

test('appending keeps every existing layer and skips an identical one', () => {
  const a: SignatureLayer = { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload: encodeUtf8('{"a":1}'), annotations: { [ANNOTATION_SIGNATURE]: 'AAA=' } };
  const b: SignatureLayer = { ...a, annotations: { [ANNOTATION_SIGNATURE]: 'BBB=' } };
  const one = appendSignatureLayer([], a);
  const two = appendSignatureLayer(one, b);
  assert.deepEqual(two, [a, b]);
  assert.equal(appendSignatureLayer(two, { ...a }), two);
  const image = buildSignatureImage(two);
  const config = JSON.parse(new TextDecoder().decode(image.config)) as { history: unknown[]; rootfs: { diff_ids: string[] } };
  assert.equal(config.history.length, 2);
  assert.deepEqual(config.rootfs.diff_ids, [sha256Digest(a.payload), sha256Digest(b.payload)]);
});

test('referrers mode adds subject and artifactType last', () => {
  const subject = { mediaType: OCI_MANIFEST, size: 10, digest: `sha256:${'b'.repeat(64)}` };
  const image = buildSignatureImage([{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload: encodeUtf8('{}'), annotations: {} }], { subject });
  const text = new TextDecoder().decode(image.manifest);
  assert.match(text, new RegExp(`"subject":\\{[^}]+\\},"artifactType":"${COSIGN_SIG_ARTIFACT_TYPE.replace(/[.+]/g, '\\$&')}"\\}$`));
  assert.match(text, /"config":\{"mediaType":"application\/vnd\.dev\.cosign\.artifact\.sig\.v1\+json"/);
});

const badPayloads: [string, string][] = [
  ['not-json', '{'],
  ['no-critical', '{"optional":null}'],
  ['no-digest', '{"critical":{"identity":{"docker-reference":"x"},"image":{},"type":"t"}}'],
  ['bad-digest', '{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":"sha256:1"},"type":"t"}}'],
  ['no-type', `{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":"sha256:${'a'.repeat(64)}"}}}`],
  ['optional-array', `{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":"sha256:${'a'.repeat(64)}"},"type":"t"},"optional":[]}`],
];
for (const [name, text] of badPayloads) {
  test(`parseSimpleSigningPayload rejects ${name}`, () => {
    assert.throws(() => parseSimpleSigningPayload(encodeUtf8(text)), { code: 'ERR_SIGNATURE_PAYLOAD_INVALID' });
  });
}

test('an index or too many layers is not a signature manifest', () => {
  assert.throws(() => parseSignatureManifest(encodeUtf8(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }))), { code: 'ERR_SIGNATURE_MANIFEST_INVALID' });
  const layer = { mediaType: SIMPLE_SIGNING_MEDIA_TYPE, size: 2, digest: `sha256:${'c'.repeat(64)}` };
  const big = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', size: 2, digest: layer.digest }, layers: Array.from({ length: 1001 }, () => layer) };
  assert.throws(() => parseSignatureManifest(encodeUtf8(JSON.stringify(big))), { code: 'ERR_SIGNATURE_MANIFEST_INVALID' });
});
