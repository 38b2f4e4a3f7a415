// Interop: key files written by sigil work in cosign 2.5, and cosign's (and skopeo 1.18's) work in
// sigil, with real processes both ways. A missing cosign fails (peerPath throws with a pointer to scripts/setup.sh).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSignatureAlgorithm, generatePrivateKey, parsePublicKeyPem, verifySignature, type KeyType } from '../../src/core/index.ts';
import { createKeySigner, encodeEncryptedPrivateKeyPem } from '../../src/sign/index.ts';
import { systemRandom } from '../../src/adapters/system.ts';
import { loadSignerFromKeyRef } from '../../src/cli/key-loader.ts';
import { peerPath, runPeer, runSigil, type RunResult, expectSuccess } from '../support/peers.ts';

const PASSWORD = 'correct horse';
const env = { COSIGN_PASSWORD: PASSWORD };
const blob = new TextEncoder().encode('a blob to sign\n');

const ok = expectSuccess;
const fresh = (): Promise<string> => mkdtemp(join(tmpdir(), 'sigil-cosign-keys-'));
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe('cosign 2.5 and sigil key files', () => {
  test('cosign and skopeo are installed', () => { peerPath('cosign'); peerPath('skopeo'); });

  test('sigil generate-key-pair: cosign public-key agrees, and cosign sign-blob signatures verify in sigil', async () => {
    const cwd = await fresh();
    await ok(runSigil(['generate-key-pair'], { env, cwd }));
    const pubPem = await readFile(join(cwd, 'cosign.pub'), 'utf8');
    assert.equal(await ok(runPeer('cosign', ['public-key', '--key', 'cosign.key'], { env, cwd })), pubPem);
    await writeFile(join(cwd, 'blob'), blob);
    const sigBase64 = (await ok(runPeer('cosign', ['sign-blob', '--key', 'cosign.key', '--tlog-upload=false', 'blob'], { env, cwd }))).trim();
    const publicKey = parsePublicKeyPem(pubPem);
    const algorithm = defaultSignatureAlgorithm(publicKey.type);
    verifySignature(algorithm, publicKey.toSpkiDer(), blob, new Uint8Array(Buffer.from(sigBase64, 'base64')), [algorithm]);
  });

  test('cosign generate-key-pair: sigil public-key prints cosign.pub, and sigil signs with it for cosign verify-blob', async () => {
    const cwd = await fresh();
    await ok(runPeer('cosign', ['generate-key-pair'], { env, cwd }));
    const pubPem = await readFile(join(cwd, 'cosign.pub'), 'utf8');
    assert.equal(await ok(runSigil(['public-key', '--key', 'cosign.key'], { env, cwd })), pubPem);
    const wrong = await runSigil(['public-key', '--key', 'cosign.key'], { env: { COSIGN_PASSWORD: 'wrong' }, cwd });
    assert.equal(wrong.code, 5);
    assert.match(wrong.stderr, /\(ERR_KEY_PASSWORD_WRONG\)/);
    const sink = { write: () => true };
    const signer = await loadSignerFromKeyRef('cosign.key', { stdout: sink, stderr: sink, env, cwd });
    await writeFile(join(cwd, 'blob'), blob);
    await writeFile(join(cwd, 'blob.sig'), base64(signer.sign(blob)));
    await ok(runPeer('cosign', ['verify-blob', '--key', 'cosign.pub', '--signature', 'blob.sig', '--insecure-ignore-tlog=true', 'blob'], { env, cwd }));
  });

  test('skopeo generate-sigstore-key (COSIGN label): sigil public-key prints its .pub', async () => {
    const cwd = await fresh();
    await writeFile(join(cwd, 'passphrase'), PASSWORD);
    await ok(runPeer('skopeo', ['generate-sigstore-key', '--output-prefix', 'sk', '--passphrase-file', 'passphrase'], { cwd }));
    assert.equal(await ok(runSigil(['public-key', '--key', 'sk.private'], { env, cwd })), await readFile(join(cwd, 'sk.pub'), 'utf8'));
  });

  for (const type of ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'rsa', 'ed25519'] as const satisfies readonly KeyType[]) {
    test(`${type}: a key file sigil encrypts loads in cosign, and both sign with the same algorithm`, async () => {
      const cwd = await fresh();
      const key = generatePrivateKey(type);
      const signer = createKeySigner(key);
      await writeFile(join(cwd, 'k.key'), await encodeEncryptedPrivateKeyPem(key, PASSWORD, systemRandom));
      await writeFile(join(cwd, 'k.pub'), signer.publicKeyPem);
      await writeFile(join(cwd, 'blob'), blob);
      assert.equal(await ok(runPeer('cosign', ['public-key', '--key', 'k.key'], { env, cwd })), signer.publicKeyPem);
      const theirs = (await ok(runPeer('cosign', ['sign-blob', '--key', 'k.key', '--tlog-upload=false', 'blob'], { env, cwd }))).trim();
      verifySignature(signer.algorithm, signer.publicKey.toSpkiDer(), blob, new Uint8Array(Buffer.from(theirs, 'base64')), [signer.algorithm]);
      await writeFile(join(cwd, 'blob.sig'), base64(signer.sign(blob)));
      await ok(runPeer('cosign', ['verify-blob', '--key', 'k.pub', '--signature', 'blob.sig', '--insecure-ignore-tlog=true', 'blob'], { env, cwd }));
    });
  }
});
