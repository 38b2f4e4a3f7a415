// The bundle referrer manifest as cosign writes it: field order, the empty config with the
// artifact type inside, annotations sorted, creation time in whole seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBundleReferrer } from '../../src/oci/index.ts';
import { encodeUtf8, sha256Digest } from '../../src/core/index.ts';

const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 123, digest: `sha256:${'a'.repeat(64)}` };
const bundle = encodeUtf8('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');

test('the manifest bytes, byte for byte', () => {
  const r = buildBundleReferrer({ subject, bundle, content: 'dsse-envelope', predicateType: 'https://sigstore.dev/cosign/sign/v1', created: new Date('2026-07-01T12:00:00.789Z') });
  const expected = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'
    + '"config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json"},'
    + `"layers":[{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","size":${bundle.byteLength},"digest":"${sha256Digest(bundle)}"}],`
    + '"annotations":{"dev.sigstore.bundle.content":"dsse-envelope","dev.sigstore.bundle.predicateType":"https://sigstore.dev/cosign/sign/v1","org.opencontainers.image.created":"2026-07-01T12:00:00Z"},'
    + `"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":123,"digest":"sha256:${'a'.repeat(64)}"},`
    + '"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json"}';
  assert.equal(new TextDecoder().decode(r.manifest), expected);
  assert.equal(r.manifestDigest, sha256Digest(r.manifest));
  assert.equal(sha256Digest(r.config), 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  assert.equal(r.descriptor.artifactType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
});

test('a message-signature bundle has no predicate type annotation', () => {
  const r = buildBundleReferrer({ subject, bundle, content: 'message-signature', created: new Date(0) });
  assert.deepEqual(Object.keys(r.descriptor.annotations ?? {}), ['dev.sigstore.bundle.content', 'org.opencontainers.image.created']);
});
