// CA benchmark: certificates issued per second by `sigil server --only oidc,ca` over the Fulcio
// v2 API, each one a token check, a proof-of-possession check, a precertificate logged durably
// in the CT log (SCT and tree head signed) and the final certificate signed; p50/p99 latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { expectSuccess, runSigil } from '../test/support/peers.ts';
import { cpuSecondsOf } from './server-probe.ts';
import { signCeilingPerSec } from './sign-ceiling.ts';
import { startSigilServer } from '../test/support/sigil-server.ts';

const CLIENTS = 16;
const EMAIL = 'bench@example.com';

/** Request bodies with fresh keys and their proofs, made before the clock starts. */
function makeBodies(token: string, n: number): string[] {
  return Array.from({ length: n }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const proof = sign('sha256', Buffer.from(EMAIL), privateKey).toString('base64');
    return JSON.stringify({ credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: publicKey.export({ format: 'pem', type: 'spki' }) }, proofOfPossession: proof } });
  });
}

function postOnce(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`signingCert answered ${res.statusCode}`))));
    });
    req.on('error', reject).end(body);
  });
}

/** Runs the CA benchmark for about `seconds` of load; returns the markdown section. */
export async function runCaBench(seconds: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-ca-'));
  const ceiling = signCeilingPerSec();
  const server = await startSigilServer(dir, ['--only', 'oidc,ca', '--ca-rate-limit', '0']);
  try {
    const token = (await expectSuccess(runSigil(['token', '--email', EMAIL, '--ttl', '1h', '--issuer', `${server.url}/oidc`, '--data', dir]), 'sigil token')).trim();
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
    const url = `${server.url}/api/v2/signingCert`;
    await Promise.all(makeBodies(token, CLIENTS).map((b) => postOnce(agent, url, b)));
    // enough prepared requests that the clock, not the supply, ends the run
    const bodies = makeBodies(token, Math.max(200, Math.round(seconds * 1000)));
    const times: number[] = [];
    let next = 0;
    const cpuBefore = cpuSecondsOf(server.child.pid);
    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length && performance.now() - started < seconds * 1000) times.push(await postOnce(agent, url, bodies[next++] ?? ''));
    }));
    const perSec = times.length / ((performance.now() - started) / 1000);
    const cpuMsPerCert = ((cpuSecondsOf(server.child.pid) - cpuBefore) * 1000) / times.length;
    agent.destroy();
    times.sort((a, b) => a - b);
    const p = (q: number): string => (times[Math.floor(times.length * q)] ?? NaN).toFixed(1);
    return [
      `${CLIENTS} keep-alive clients POST \`/api/v2/signingCert\` (a fresh P-256 key and proof of possession each, made before the clock starts; one email token from sigil's own issuer; rate limit off) to \`sigil server --only oidc,ca\`. Each certificate costs the server an ES256 token check, a proof-of-possession check, three ECDSA P-256 signatures (precertificate, SCT, certificate) plus a share of one CT tree head signature and one durable SQLite commit per batch of concurrent requests (on a writer thread: while one batch commits, the next gathers; a certificate is answered only after its batch's commit). The ceiling is this machine's ECDSA P-256 signing rate in the same run (${ceiling.toFixed(0)}/s on one core), divided by three signatures. No peer Fulcio is packaged for this machine. Load average when the run ended: ${loadavg()[0]?.toFixed(1)} on this machine (other work shares it; an idle machine gives more).`,
      '',
      '| certificates issued | per second | of the ceiling (signing only) | latency p50 | p99 | server CPU per certificate |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${times.length} | ${perSec.toFixed(0)} | ${((perSec / (ceiling / 3)) * 100).toFixed(1)}% | ${p(0.5)} ms | ${p(0.99)} ms | ${cpuMsPerCert.toFixed(2)} ms |`,
      '',
      `Server CPU per certificate is the server process's user and system time (all its threads, from /proc) during the run divided by the certificates issued: it moves much less with the machine's load than the rate does, and ${(1000 / cpuMsPerCert).toFixed(0)} certificates/s is what one free core would sustain at that cost.`,
    ].join('\n');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
