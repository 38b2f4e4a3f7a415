import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, parseReference, withDigest, withTag } from '../../src/oci/reference.ts';
import { referrersTag, signatureTag } from '../../src/oci/signature-tags.ts';

const D = `sha256:${'a'.repeat(64)}`;

const valid: readonly { text: string; registry: string; repository: string; tag?: string; digest?: string; identifier: string }[] = [
  { text: 'ubuntu', registry: 'docker.io', repository: 'library/ubuntu', identifier: 'latest' },
  { text: 'ubuntu:22.04', registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04', identifier: '22.04' },
  { text: 'user/app', registry: 'docker.io', repository: 'user/app', identifier: 'latest' },
  { text: 'docker.io/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', identifier: 'latest' },
  { text: 'index.docker.io/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', identifier: 'latest' },
  { text: 'index.docker.io/user/app:v1', registry: 'docker.io', repository: 'user/app', tag: 'v1', identifier: 'v1' },
  { text: 'docker.io/library/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', identifier: 'latest' },
  { text: 'ghcr.io/org/team/app:1.0', registry: 'ghcr.io', repository: 'org/team/app', tag: '1.0', identifier: '1.0' },
  { text: 'ghcr.io/app', registry: 'ghcr.io', repository: 'app', identifier: 'latest' },
  { text: 'localhost/app', registry: 'localhost', repository: 'app', identifier: 'latest' },
  { text: 'localhost:5000/app:tag', registry: 'localhost:5000', repository: 'app', tag: 'tag', identifier: 'tag' },
  { text: '127.0.0.1:5000/a/b', registry: '127.0.0.1:5000', repository: 'a/b', identifier: 'latest' },
  { text: '[::1]:5000/app:v2', registry: '[::1]:5000', repository: 'app', tag: 'v2', identifier: 'v2' },
  { text: '[fe80::1]/app', registry: '[fe80::1]', repository: 'app', identifier: 'latest' },
  { text: 'myhost:443/x', registry: 'myhost:443', repository: 'x', identifier: 'latest' },
  { text: 'Registry.Example.com/app', registry: 'Registry.Example.com', repository: 'app', identifier: 'latest' },
  { text: `app@${D}`, registry: 'docker.io', repository: 'library/app', digest: D, identifier: D },
  { text: `ghcr.io/o/app:v1@${D}`, registry: 'ghcr.io', repository: 'o/app', tag: 'v1', digest: D, identifier: D },
  { text: `localhost:5000/app@${D}`, registry: 'localhost:5000', repository: 'app', digest: D, identifier: D },
  { text: 'a.b/c__d/e-f/g.h_i', registry: 'a.b', repository: 'c__d/e-f/g.h_i', identifier: 'latest' },
  { text: 'app:_tag', registry: 'docker.io', repository: 'library/app', tag: '_tag', identifier: '_tag' },
  { text: `app:${'t'.repeat(128)}`, registry: 'docker.io', repository: 'library/app', tag: 't'.repeat(128), identifier: 't'.repeat(128) },
  { text: 'namespace/app:Tag.1-x', registry: 'docker.io', repository: 'namespace/app', tag: 'Tag.1-x', identifier: 'Tag.1-x' },
];

for (const c of valid) {
  test(`parses ${c.text.slice(0, 60)}`, () => {
    const ref = parseReference(c.text);
    assert.equal(ref.registry, c.registry);
    assert.equal(ref.repository, c.repository);
    assert.equal(ref.tag, c.tag);
    assert.equal(ref.digest, c.digest);
    assert.equal(ref.identifier, c.identifier);
  });
}

const malformed: readonly { name: string; text: string }[] = [
  { name: 'empty', text: '' },
  { name: 'uppercase repository', text: 'Ubuntu' },
  { name: 'uppercase repository under a registry', text: 'ghcr.io/Org/app' },
  { name: 'scheme', text: 'https://ghcr.io/app' },
  { name: 'whitespace', text: 'ghcr.io/app :v1' },
  { name: 'empty tag', text: 'app:' },
  { name: 'tag starting with a dot', text: 'app:.x' },
  { name: 'tag too long', text: `app:${'t'.repeat(129)}` },
  { name: 'tag with a bad character', text: 'app:v+1' },
  { name: 'short digest', text: 'app@sha256:abc' },
  { name: 'uppercase digest', text: `app@sha256:${'A'.repeat(64)}` },
  { name: 'unknown digest algorithm', text: `app@md5:${'a'.repeat(32)}` },
  { name: 'two @', text: `app@${D}@${D}` },
  { name: 'empty repository', text: `@${D}` },
  { name: 'registry only', text: 'ghcr.io/' },
  { name: 'double slash', text: 'ghcr.io//app' },
  { name: 'trailing slash', text: 'ghcr.io/app/' },
  { name: 'leading separator', text: 'ghcr.io/-app' },
  { name: 'double dot in component', text: 'ghcr.io/a..b' },
  { name: 'bad port', text: 'localhost:99999/app' },
  { name: 'non-numeric port', text: 'localhost:abc/app' },
  { name: 'host with underscore', text: 'my_host.com/app' },
  { name: 'unterminated ipv6', text: '[::1:5000/app' },
  { name: 'name too long', text: `ghcr.io/${'a'.repeat(250)}` },
];

for (const c of malformed) {
  test(`rejects ${c.name}`, () => {
    assert.throws(() => parseReference(c.text), { code: 'ERR_OCI_REFERENCE_INVALID' });
  });
}

test('formats references canonically', () => {
  assert.equal(formatReference(parseReference('ubuntu')), 'docker.io/library/ubuntu:latest');
  assert.equal(formatReference(parseReference(`ghcr.io/o/a:v1@${D}`)), `ghcr.io/o/a:v1@${D}`);
  assert.equal(formatReference(parseReference(`ghcr.io/o/a@${D}`)), `ghcr.io/o/a@${D}`);
  const ref = parseReference('localhost:5000/a:v1');
  assert.equal(formatReference(withDigest(ref, D)), `localhost:5000/a@${D}`);
  assert.equal(formatReference(withTag(ref, 'v2')), 'localhost:5000/a:v2');
});

test('signature tags follow cosign\'s scheme', () => {
  assert.equal(signatureTag(D), `sha256-${'a'.repeat(64)}.sig`);
  assert.equal(signatureTag(D, 'att'), `sha256-${'a'.repeat(64)}.att`);
  assert.equal(signatureTag(D, 'sbom'), `sha256-${'a'.repeat(64)}.sbom`);
  assert.equal(referrersTag(D), `sha256-${'a'.repeat(64)}`);
  assert.throws(() => signatureTag('sha256:zz'), { code: 'ERR_OCI_DIGEST_INVALID' });
});
