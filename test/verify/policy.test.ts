import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMatcher, isMatch, readFulcioIdentity, verifyIdentity } from '../../src/verify/policy.ts';
import { loadCase } from './corpus.ts';

const BEACON = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

test('exact identities are whole-string matches, not substrings (unlike sigstore-js)', () => {
  const m = createMatcher('exact', 'https://github.com/sigstore-conformance');
  assert.equal(isMatch(m, 'https://github.com/sigstore-conformance'), true);
  assert.equal(isMatch(m, `${'https://github.com/sigstore-conformance'}/x`), false);
  assert.equal(isMatch(m, 'xhttps://github.com/sigstore-conformance'), false);
  assert.equal(isMatch(createMatcher('exact', 'a@example.com'), 'A@example.com'), false);
});

test('regexp identities search the value, as Go regexp.MatchString in cosign; ^ and $ anchor', () => {
  assert.equal(isMatch(createMatcher('regexp', 'sigstore-conformance/'), BEACON), true);
  assert.equal(isMatch(createMatcher('regexp', '^https://github\\.com/sigstore-conformance/'), BEACON), true);
  assert.equal(isMatch(createMatcher('regexp', '^https://evil\\.example/'), BEACON), false);
  assert.equal(isMatch(createMatcher('regexp', '^sigstore-conformance/$'), BEACON), false);
});

test('a regexp that does not compile is a usage error', () => {
  assert.throws(() => createMatcher('regexp', '(unclosed'), { code: 'ERR_USAGE' });
});

test('the identity of a Fulcio leaf: URI SAN and the .1.8 issuer', () => {
  const { leaf } = loadCase('happy-path-v0.3');
  assert.ok(leaf);
  assert.deepEqual(readFulcioIdentity(leaf), { subjects: [BEACON], issuer: GITHUB });
});

test('old leaves without .1.8 take the issuer from .1.1; email SANs are subjects', () => {
  const { leaf } = loadCase('sp-bundle-v0.1-staging');
  assert.ok(leaf);
  assert.deepEqual(readFulcioIdentity(leaf), { subjects: ['a@tny.town'], issuer: 'https://github.com/login/oauth' });
});

test('both subject and issuer must match one expected identity, with cosign\'s message', () => {
  const got = { subjects: [BEACON], issuer: GITHUB };
  verifyIdentity(got, [{ subject: createMatcher('exact', BEACON), issuer: createMatcher('exact', GITHUB) }]);
  verifyIdentity(got, [
    { subject: createMatcher('exact', 'nobody'), issuer: createMatcher('exact', GITHUB) },
    { subject: createMatcher('regexp', '@refs/heads/main$'), issuer: createMatcher('regexp', '^https://token\\.actions\\.') },
  ]);
  const wrongIssuer = [{ subject: createMatcher('exact', BEACON), issuer: createMatcher('exact', 'https://accounts.google.com') }];
  assert.throws(() => verifyIdentity(got, wrongIssuer), {
    code: 'ERR_VERIFY_IDENTITY_MISMATCH',
    // the message is cosign's, word for word: scripts grep for it
    message: `none of the expected identities matched what was in the certificate, got subjects [${BEACON}] with issuer ${GITHUB}`,
  });
});
