// The sigstore-conformance verify corpus through the CLI protocol: every case in PATH mode (its
// exact upstream argv) and in DIGEST mode (the artifact replaced by sha256:<hex>), 241 runs.
// Expected failures must fail for the case's own reason: each has the error code it must raise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/main.ts';
import { ERRORS, type ErrorCode } from '../../src/core/index.ts';

interface Case { name: string; expect: 'pass' | 'fail'; artifact: string; artifact_digest: string; cli_args: string[] }
const base = new URL('../vectors/sigstore-conformance/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', base), 'utf8')) as Case[];

/** Why each failing case fails: the code sigil must raise for it. */
const EXPECTED_CODES: Readonly<Record<string, ErrorCode>> = {
  'bundle-empty-certificate-chain_fail': 'ERR_BUNDLE_INVALID',
  'bundle-from-wrong-instance_fail': 'ERR_VERIFY_TLOG_UNTRUSTED',
  'bundle-invalid-base64-signature_fail': 'ERR_BUNDLE_INVALID',
  'bundle-malformed-json_fail': 'ERR_BUNDLE_INVALID',
  'bundle-negative-log-index_fail': 'ERR_BUNDLE_INVALID',
  'bundle-unknown-version_fail': 'ERR_BUNDLE_VERSION_UNSUPPORTED',
  'bundle-with-root-cert_fail': 'ERR_CERT_ROOT_IN_CHAIN',
  'checkpoint-bad-keyhint_fail': 'ERR_CHECKPOINT_SIGNATURE',
  'checkpoint-wrong-roothash_fail': 'ERR_CHECKPOINT_MISMATCH',
  'dsse-invalid-sig_fail': 'ERR_CRYPTO_SIGNATURE_INVALID',
  'dsse-mismatch-envelope_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'dsse-mismatch-sig_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'inclusion-proof-corrupted-hash_fail': 'ERR_MERKLE_INCLUSION_PROOF',
  'incorrect-public-key_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'integrated-time-in-future_fail': 'ERR_CERT_CHAIN',
  'intoto-expired-certificate_fail': 'ERR_CERT_CHAIN',
  'intoto-log-entry-mismatch_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  // a v0.2 bundle without an inclusion proof breaks the bundle rules before verification
  'intoto-missing-inclusion-proof_fail': 'ERR_BUNDLE_INVALID',
  'intoto-set-outside-signing-cert-validity_fail': 'ERR_CERT_CHAIN',
  'intoto-tsa-timestamp-outside-cert-validity_fail': 'ERR_CERT_CHAIN',
  'invalid-checkpoint-signature_fail': 'ERR_CHECKPOINT_SIGNATURE',
  'invalid-ct-key_fail': 'ERR_SCT_INVALID',
  // the stale proof also lacks its checkpoint, which v0.2 requires (research note §5)
  'invalid-inclusion-proof_fail': 'ERR_BUNDLE_INVALID',
  'managed-key-no-key_fail': 'ERR_VERIFY_MATERIAL_MISMATCH',
  'managed-key-wrong-key_fail': 'ERR_CRYPTO_KEY_INVALID',
  'message-digest-mismatch_fail': 'ERR_VERIFY_ARTIFACT_MISMATCH',
  'rekor2-checkpoint-missing-log-signature_fail': 'ERR_CHECKPOINT_INVALID',
  'rekor2-checkpoint-missing-origin_fail': 'ERR_CHECKPOINT_INVALID',
  'rekor2-checkpoint-missing-root-hash_fail': 'ERR_CHECKPOINT_INVALID',
  'rekor2-checkpoint-missing-size_fail': 'ERR_CHECKPOINT_INVALID',
  'rekor2-checkpoint-no-matching-signature_fail': 'ERR_CHECKPOINT_SIGNATURE',
  'rekor2-dsse-invalid-sig_fail': 'ERR_CRYPTO_SIGNATURE_INVALID',
  'rekor2-dsse-mismatch-envelope_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'rekor2-dsse-mismatch-sig_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'rekor2-no-inclusion-proof_fail': 'ERR_BUNDLE_INVALID',
  'rekor2-no-timestamp_fail': 'ERR_VERIFY_NO_VERIFIED_TIME',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'ERR_TSA_UNTRUSTED',
  'rekor2-timestamp-outside-tsa-cert-validity_fail': 'ERR_TSA_UNTRUSTED',
  'rekor2-timestamp-payload-mismatch_fail': 'ERR_TSA_IMPRINT_MISMATCH',
  'rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail': 'ERR_TSA_UNTRUSTED',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'ERR_TSA_UNTRUSTED',
  'rekor2-timestamp-with-incorrect-time_fail': 'ERR_CERT_CHAIN',
  'set-invalid-signature_fail': 'ERR_TLOG_SET_INVALID',
  'signature-mismatch_fail': 'ERR_CRYPTO_SIGNATURE_INVALID',
  'trust-root-tlog-missing-validity-start_fail': 'ERR_TRUST_ROOT_INVALID',
  'wrong-hashedrekord-artifact_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'wrong-hashedrekord-cert-and-sig_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'wrong-hashedrekord-entry_fail': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'wrong-material_fail': 'ERR_VERIFY_ARTIFACT_MISMATCH',
  'sp-cve-2022-36056': 'ERR_VERIFY_TLOG_ENTRY_MISMATCH',
  'sp-invalid-media-type': 'ERR_BUNDLE_VERSION_UNSUPPORTED',
  'sp-no-cert-v0.1': 'ERR_BUNDLE_INVALID',
  'sp-no-log-entry': 'ERR_VERIFY_TLOG_MISSING',
  'sp-no-checkpoint-v0.2': 'ERR_BUNDLE_INVALID',
  'sp-v0.3-no-signed-time': 'ERR_VERIFY_NO_VERIFIED_TIME',
};

async function sigil(argv: readonly string[]): Promise<{ status: number; err: string }> {
  let err = '';
  const sink = { write: (s: string) => { err += s; } };
  const status = await run(argv, { stdout: { write: () => undefined }, stderr: sink, env: {}, cwd: fileURLToPath(base) });
  return { status, err };
}

test('every failing case has an expected code and every listed name is a failing case', () => {
  const failing = cases.filter((c) => c.expect === 'fail').map((c) => c.name).sort();
  assert.deepEqual(Object.keys(EXPECTED_CODES).sort(), failing);
  assert.equal(cases.length, 161);
});

let runs = 0;
for (const c of cases) {
  // PATH mode is the case's argv; DIGEST mode swaps the artifact for its digest (CPython cases are digest-only)
  const modes: [string, string[]][] = [['path', c.cli_args]];
  if (!c.artifact.startsWith('sha256:')) modes.push(['digest', [...c.cli_args.slice(0, -1), c.artifact_digest]]);
  for (const [mode, argv] of modes) {
    runs += 1;
    test(`${c.name} [${mode}] ${c.expect === 'pass' ? 'verifies' : `fails with ${EXPECTED_CODES[c.name]}`}`, async () => {
      const { status, err } = await sigil(argv);
      if (c.expect === 'pass') {
        assert.equal(status, 0, err);
        return;
      }
      const code = EXPECTED_CODES[c.name];
      assert.ok(code);
      assert.match(err, new RegExp(`^error: .+ \\(${code}\\)\\n$`), err);
      assert.equal(status, ERRORS[code].exit);
    });
  }
}

test('the corpus gives 241 runs', () => {
  assert.equal(runs, 241);
});
