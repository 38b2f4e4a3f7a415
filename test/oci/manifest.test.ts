import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest, referencedBlobs, referencedManifests, artifactTypeOf, formatPlatform, MAX_MANIFEST_BYTES } from '../../src/oci/manifest.ts';
import { OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_CONFIG, OCI_EMPTY } from '../../src/oci/media-types.ts';

const D = (c: string): string => `sha256:${c.repeat(64)}`;
const desc = (mediaType: string, c: string, size = 10): Record<string, unknown> => ({ mediaType, digest: D(c), size });
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const image = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc(OCI_CONFIG, 'a'), layers: [desc('application/vnd.oci.image.layer.v1.tar+gzip', 'b')] };

test('an OCI image manifest parses with its blobs', () => {
  const m = parseManifest(enc(image));
  assert.equal(m.kind, 'image');
  assert.equal(m.mediaType, OCI_MANIFEST);
  assert.deepEqual(referencedBlobs(m).map((d) => d.digest), [D('a'), D('b')]);
  assert.equal(artifactTypeOf(m), OCI_CONFIG);
});

test('an index parses with its child manifests and platforms', () => {
  const m = parseManifest(enc({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...desc(OCI_MANIFEST, 'c'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] }));
  assert.equal(m.kind, 'index');
  assert.deepEqual(referencedManifests(m).map((d) => d.digest), [D('c')]);
  assert.equal(referencedBlobs(m).length, 0);
  const p = referencedManifests(m)[0]?.platform;
  assert.ok(p);
  assert.equal(formatPlatform(p), 'linux/arm64/v8');
});

test('media type comes from the Content-Type when the body has none', () => {
  const { mediaType: _omit, ...bare } = image;
  assert.equal(parseManifest(enc(bare), `${OCI_MANIFEST}; charset=utf-8`).mediaType, OCI_MANIFEST);
  assert.equal(parseManifest(enc(bare)).mediaType, OCI_MANIFEST);
  assert.equal(parseManifest(enc({ schemaVersion: 2, manifests: [] })).mediaType, OCI_INDEX);
});

test('an artifact manifest reports artifactType and subject', () => {
  const m = parseManifest(enc({ ...image, artifactType: 'application/vnd.example', config: desc(OCI_EMPTY, 'e', 2), subject: desc(OCI_MANIFEST, 'f') }));
  assert.equal(artifactTypeOf(m), 'application/vnd.example');
  assert.equal(m.subject?.digest, D('f'));
});

test('docker schema 2 types parse', () => {
  assert.equal(parseManifest(enc({ ...image, mediaType: DOCKER_MANIFEST })).kind, 'image');
  assert.equal(parseManifest(enc({ schemaVersion: 2, mediaType: DOCKER_MANIFEST_LIST, manifests: [] })).kind, 'index');
});

test('foreign layers with urls are not required blobs', () => {
  const m = parseManifest(enc({ ...image, layers: [{ ...desc('application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'd'), urls: ['https://example.com/x'] }] }));
  assert.deepEqual(referencedBlobs(m).map((d) => d.digest), [D('a')]);
});

const bad: { name: string; body: Uint8Array; contentType?: string; code: string }[] = [
  { name: 'not-json', body: new TextEncoder().encode('{'), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'not-utf8', body: new Uint8Array([0xff, 0xfe]), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'array', body: enc([]), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'schema-version-1', body: enc({ ...image, schemaVersion: 1 }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'bad-layer-digest', body: enc({ ...image, layers: [{ ...desc('x', 'b'), digest: 'sha256:zz' }] }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'negative-size', body: enc({ ...image, config: { ...desc(OCI_CONFIG, 'a'), size: -1 } }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'fractional-size', body: enc({ ...image, config: { ...desc(OCI_CONFIG, 'a'), size: 1.5 } }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'layers-not-array', body: enc({ ...image, layers: {} }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'annotation-not-string', body: enc({ ...image, annotations: { a: 1 } }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'mismatched-content-type', body: enc(image), contentType: OCI_INDEX, code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'unknown-media-type', body: enc({ ...image, mediaType: 'application/vnd.unknown+json' }), code: 'ERR_OCI_MEDIA_TYPE_UNSUPPORTED' },
  { name: 'no-media-type-at-all', body: enc({ schemaVersion: 2 }), code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'docker-without-media-type-field', body: enc({ schemaVersion: 2, config: desc(OCI_CONFIG, 'a'), layers: [] }), contentType: DOCKER_MANIFEST, code: 'ERR_OCI_MANIFEST_INVALID' },
  { name: 'oversized', body: new Uint8Array(MAX_MANIFEST_BYTES + 1), code: 'ERR_OCI_MANIFEST_TOO_LARGE' },
  { name: 'platform-without-os', body: enc({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...desc(OCI_MANIFEST, 'c'), platform: { architecture: 'amd64' } }] }), code: 'ERR_OCI_MANIFEST_INVALID' },
];
for (const c of bad) {
  test(`parseManifest rejects ${c.name}`, () => {
    assert.throws(() => parseManifest(c.body, c.contentType), { code: c.code });
  });
}
