import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthChallenge, parseTokenResponse, formatRepositoryScope } from '../../src/oci/auth-challenge.ts';
import { parseLinkNext } from '../../src/oci/link-header.ts';
import { parseRegistryErrors, formatRegistryErrors } from '../../src/oci/registry-errors.ts';
import { parsePlatformSpec, selectPlatform } from '../../src/oci/platform.ts';

const challenges = [
  { name: 'docker hub bearer', header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"',
    want: { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } } },
  { name: 'basic', header: 'Basic realm="Registry Realm"', want: { scheme: 'basic', params: { realm: 'Registry Realm' } } },
  { name: 'spaces and case', header: 'bearer  Realm = "http://x/token" , Service=svc', want: { scheme: 'bearer', params: { realm: 'http://x/token', service: 'svc' } } },
  { name: 'escaped quote', header: 'Bearer realm="a\\"b",scope="repository:a:pull,push"', want: { scheme: 'bearer', params: { realm: 'a"b', scope: 'repository:a:pull,push' } } },
  { name: 'scheme only', header: 'Basic', want: { scheme: 'basic', params: {} } },
  { name: 'error param', header: 'Bearer realm="r",error="insufficient_scope"', want: { scheme: 'bearer', params: { realm: 'r', error: 'insufficient_scope' } } },
];
for (const c of challenges) {
  test(`parses challenge: ${c.name}`, () => assert.deepEqual(parseAuthChallenge(c.header), c.want));
}

test('no challenge for empty or junk headers', () => {
  assert.equal(parseAuthChallenge(undefined), undefined);
  assert.equal(parseAuthChallenge(''), undefined);
  assert.equal(parseAuthChallenge('"quoted"'), undefined);
});

test('token responses accept token or access_token with a default lifetime', () => {
  assert.deepEqual(parseTokenResponse({ token: 't', expires_in: 300 }), { token: 't', expiresInS: 300 });
  assert.deepEqual(parseTokenResponse({ access_token: 'a' }), { token: 'a', expiresInS: 60 });
  assert.deepEqual(parseTokenResponse({ token: '', access_token: 'a', expires_in: -1 }), { token: 'a', expiresInS: 60 });
  assert.throws(() => parseTokenResponse({}), { code: 'ERR_HTTP_RESPONSE_INVALID' });
  assert.throws(() => parseTokenResponse('x'), { code: 'ERR_HTTP_RESPONSE_INVALID' });
  assert.equal(formatRepositoryScope('a/b', ['pull', 'push']), 'repository:a/b:pull,push');
});

const links = [
  { name: 'relative next', header: '</v2/_catalog?last=b&n=2>; rel="next"', want: '/v2/_catalog?last=b&n=2' },
  { name: 'absolute next unquoted', header: '<https://r.example/v2/a/tags/list?n=1&last=x>;rel=next', want: 'https://r.example/v2/a/tags/list?n=1&last=x' },
  { name: 'prev then next', header: '</p>; rel="prev", </n>; rel="next"', want: '/n' },
  { name: 'multiple rel values', header: '</n>; rel="last next"', want: '/n' },
  { name: 'only prev', header: '</p>; rel="prev"', want: undefined },
  { name: 'absent', header: undefined, want: undefined },
  { name: 'junk', header: 'nonsense', want: undefined },
];
for (const c of links) {
  test(`link header: ${c.name}`, () => assert.equal(parseLinkNext(c.header), c.want));
}

test('registry error bodies decorate messages and tolerate junk', () => {
  const errors = parseRegistryErrors('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}');
  assert.equal(formatRegistryErrors(errors), 'MANIFEST_UNKNOWN: manifest unknown');
  assert.deepEqual(parseRegistryErrors('<html>'), []);
  assert.deepEqual(parseRegistryErrors('{"errors":3}'), []);
});

test('platform specs parse and select', () => {
  assert.deepEqual(parsePlatformSpec('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
  assert.deepEqual(parsePlatformSpec('linux/amd64'), { os: 'linux', architecture: 'amd64' });
  for (const bad of ['linux', 'linux/', '/amd64', 'a/b/c/d', 'Linux/amd64']) assert.throws(() => parsePlatformSpec(bad), { code: 'ERR_INPUT_INVALID' });
  const d = (arch: string, variant?: string) => ({ mediaType: 'x', digest: `sha256:${'b'.repeat(64)}`, size: 1, platform: { os: 'linux', architecture: arch, ...(variant ? { variant } : {}) } });
  const list = [d('amd64'), d('arm', 'v6'), d('arm', 'v7')];
  assert.equal(selectPlatform(list, parsePlatformSpec('linux/arm/v7')), list[2]);
  assert.equal(selectPlatform(list, parsePlatformSpec('linux/arm')), list[1]);
  assert.throws(() => selectPlatform(list, parsePlatformSpec('linux/s390x')), { code: 'ERR_OCI_PLATFORM_NOT_FOUND' });
});
