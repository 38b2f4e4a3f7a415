// The in-process halves of the keyless signing benchmark: blob signatures per second by sigil's
// own `sign-blob` code and by sigstore-js (@sigstore/sign), one signature at a time, each a fresh
// key, a certificate from sigil's CA and a hashedrekord entry in sigil's log; and certificates per
// second from sigil's CA under concurrent v2 signingCert requests with proof of possession.
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { runSignBlob } from '../src/cli/commands/sign-blob-run.ts';
import type { CliIo } from '../src/cli/io.ts';
import { signWithSigstoreJs } from '../test/support/sigstore-js.ts';

/** Where signing goes and with which token. */
export interface KeylessTarget { readonly url: string; readonly token: string }

/** A rate measured over a number of completed operations. */
export interface Rate { readonly count: number; readonly seconds: number; readonly perSec: number }

const quiet = { write: (): boolean => true };

/** Calls `once` one after another until `seconds` have passed (at least `minimum` times). */
async function sequentialRate(seconds: number, minimum: number, once: BlobSigner): Promise<Rate> {
  const started = performance.now();
  let count = 0;
  while (count < minimum || performance.now() - started < seconds * 1000) {
    await once(count);
    count += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { count, seconds: elapsed, perSec: count / elapsed };
}

/** One in-process keyless blob signer: signs artifact number `i`. */
type BlobSigner = (i: number) => Promise<void>;

/**
 * sigil's signer: the code `sigil sign-blob --new-bundle-format --bundle` runs (fresh P-256 key,
 * certificate, hashedrekord entry, bundle v0.3 written to a file in `dir`).
 */
function sigilBlobSigner(target: KeylessTarget, dir: string): BlobSigner {
  const io: CliIo = { stdout: quiet, stderr: quiet, env: {}, cwd: dir };
  return async (i) => {
    await writeFile(join(dir, 'artifact.txt'), `artifact ${i}\n`);
    await runSignBlob(io, 'artifact.txt', {
      identityToken: target.token, fulcioUrl: target.url, rekorUrl: target.url, tlogUpload: true,
      newBundleFormat: true, bundle: 'artifact.sigstore.json', output: 'text',
    });
  };
}

/** sigstore-js's signer: a new FulcioSigner (fresh key) per signature, as `sigstore.sign` does. */
function sigstoreJsBlobSigner(target: KeylessTarget): BlobSigner {
  return async (i) => {
    await signWithSigstoreJs(Buffer.from(`artifact ${i}\n`), { fulcioUrl: target.url, rekorUrl: target.url, token: target.token });
  };
}

function addRates(rates: readonly Rate[]): Rate {
  const count = rates.reduce((n, r) => n + r.count, 0);
  const seconds = rates.reduce((n, r) => n + r.seconds, 0);
  return { count, seconds, perSec: count / seconds };
}

/**
 * Blob signatures per second by sigil and by sigstore-js in this process, one signature at a
 * time: five unmeasured signatures each to warm up, then `rounds` alternating phases of
 * `seconds / rounds` each, so load from the shared machine falls on both alike.
 */
export async function blobRates(target: KeylessTarget, seconds: number, rounds = 4): Promise<{ sigil: Rate; sigstoreJs: Rate }> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-blob-'));
  const signers = { sigil: sigilBlobSigner(target, dir), sigstoreJs: sigstoreJsBlobSigner(target) };
  const measured: { sigil: Rate[]; sigstoreJs: Rate[] } = { sigil: [], sigstoreJs: [] };
  try {
    for (const name of ['sigil', 'sigstoreJs'] as const) for (let i = 0; i < 5; i += 1) await signers[name](i);
    for (let round = 0; round < rounds; round += 1) {
      for (const name of ['sigil', 'sigstoreJs'] as const) measured[name].push(await sequentialRate(seconds / rounds, 3, signers[name]));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { sigil: addRates(measured.sigil), sigstoreJs: addRates(measured.sigstoreJs) };
}

/** One prepared v2 signingCert body: its own key, proof of possession over the token's email. */
function signingCertBody(token: string, email: string): string {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: {
      publicKey: { algorithm: 'ECDSA', content: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
      proofOfPossession: nodeSign('sha256', Buffer.from(email), privateKey).toString('base64'),
    },
  });
}

function post(agent: Agent, url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Certificates per second from sigil's CA: `clients` keep-alive clients, each with its own
 * identity and token, post `perClient` v2 signingCert requests prepared beforehand (keys and
 * proofs are made before the clock starts, so the clients spend almost no CPU).
 */
export async function certificateRate(url: string, identities: readonly { email: string; token: string }[], perClient: number): Promise<Rate> {
  const bodies = identities.map(({ email, token }) => Array.from({ length: perClient }, () => signingCertBody(token, email)));
  const agent = new Agent({ keepAlive: true, maxSockets: identities.length });
  const started = performance.now();
  try {
    await Promise.all(bodies.map(async (mine) => {
      for (const body of mine) {
        const answer = await post(agent, `${url}/api/v2/signingCert`, body);
        if (answer.status !== 201 && answer.status !== 200) throw new Error(`signingCert answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        if (!answer.body.includes('signedCertificateEmbeddedSct')) throw new Error(`signingCert answered without an embedded-SCT certificate: ${answer.body.slice(0, 300)}`);
      }
    }));
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  const count = identities.length * perClient;
  return { count, seconds, perSec: count / seconds };
}

