// `sigil verify-bundle` with many artifact/bundle pairs: each pair's result in order, the first
// failure's exit status, and the same lines whether the pairs go to worker threads or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.ts';

const vectors = fileURLToPath(new URL('../vectors/sigstore-conformance/', import.meta.url));
const CASES = 'cases/conformance';
const bundleOf = (name: string): string => `${CASES}/${name}/bundle.sigstore.json`;
const ARTIFACT = `${CASES}/a.txt`;
const ID = ['--certificate-identity', 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'];
const ISSUER = ['--certificate-oidc-issuer', 'https://token.actions.githubusercontent.com'];

async function sigil(argv: readonly string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await run(argv, { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } }, env: {}, cwd: vectors });
  return { status, out, err };
}

// production bundles over a.txt: good ones, and failures the conformance suite names
const pairs: [bundle: string, artifact: string][] = [
  [bundleOf('happy-path-v0.3'), ARTIFACT],
  [bundleOf('set-invalid-signature_fail'), ARTIFACT],
  [bundleOf('happy-path-v0.2'), ARTIFACT],
  [bundleOf('happy-path-v0.3'), 'no-such-artifact'],
  [bundleOf('bundle-malformed-json_fail'), ARTIFACT],
  [bundleOf('happy-path-v0.1'), ARTIFACT],
  [bundleOf('signature-mismatch_fail'), ARTIFACT],
  [bundleOf('happy-path-v0.3-new-mediaType'), ARTIFACT],
];
const argv = (threads: string, extra: readonly string[] = []): string[] => [
  'verify-bundle', ...ID, ...ISSUER, '--threads', threads, ...extra,
  ...pairs.flatMap(([b]) => ['--bundle', b]), ...pairs.map(([, a]) => a),
];

test('many pairs: one line per pair in order, the first failure sets the exit status, threads change nothing', async () => {
  const here = await sigil(argv('0'));
  const pooled = await sigil(argv('2'));
  assert.deepEqual(pooled, here);
  assert.equal(here.status, 12);
  assert.deepEqual(here.out.split('\n').filter(Boolean), [`Verified OK: ${ARTIFACT}`, `Verified OK: ${ARTIFACT}`, `Verified OK: ${ARTIFACT}`, `Verified OK: ${ARTIFACT}`]);
  const errors = here.err.split('\n').filter(Boolean);
  assert.equal(errors.length, 4);
  assert.match(errors[0] ?? '', new RegExp(`^error: ${ARTIFACT}: .*\\(ERR_TLOG_SET_INVALID\\)$`));
  assert.match(errors[1] ?? '', /^error: no-such-artifact: .*\(ERR_FILE_NOT_FOUND\)$/);
  assert.match(errors[2] ?? '', /\(ERR_BUNDLE_INVALID\)$/);
  assert.match(errors[3] ?? '', /\(ERR_CRYPTO_SIGNATURE_INVALID\)$/);
});

test('many pairs as json: an array with each verification or error, the same from the workers', async () => {
  const here = await sigil(argv('0', ['--output', 'json']));
  const pooled = await sigil(argv('2', ['--output', 'json']));
  assert.deepEqual(pooled, here);
  const rows = JSON.parse(here.out) as { artifact: string; bundle: string; verified: boolean; error?: { code: string } }[];
  assert.deepEqual(rows.map((r) => [r.bundle, r.artifact, r.verified, r.error?.code]), pairs.map(([b, a], i) => [b, a, [0, 2, 5, 7].includes(i), [undefined, 'ERR_TLOG_SET_INVALID', undefined, 'ERR_FILE_NOT_FOUND', 'ERR_BUNDLE_INVALID', undefined, 'ERR_CRYPTO_SIGNATURE_INVALID', undefined][i]]));
});

test('all good pairs exit 0; unequal counts and a bad --threads are usage errors', async () => {
  const good = await sigil(['verify-bundle', ...ID, ...ISSUER, '--threads', '2', '--bundle', bundleOf('happy-path-v0.3'), '--bundle', bundleOf('happy-path-v0.2'), ARTIFACT, ARTIFACT]);
  assert.deepEqual(good, { status: 0, out: `Verified OK: ${ARTIFACT}\nVerified OK: ${ARTIFACT}\n`, err: '' });
  const unequal = await sigil(['verify-bundle', ...ID, ...ISSUER, '--bundle', bundleOf('happy-path-v0.3'), ARTIFACT, ARTIFACT]);
  assert.equal(unequal.status, 2);
  assert.match(unequal.err, /1 bundle\(s\) for 2 artifact\(s\) \(ERR_USAGE\)/);
  const threads = await sigil(['verify-bundle', ...ID, ...ISSUER, '--threads', 'many', '--bundle', bundleOf('happy-path-v0.3'), ARTIFACT]);
  assert.equal(threads.status, 2);
  assert.match(threads.err, /ERR_USAGE/);
});
