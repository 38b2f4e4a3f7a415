// Verify benchmark: whole-process wall time of `sigil verify --key` against `cosign verify --key`
// on the same signed image in sigil's registry, N runs each (interleaved, after one warm-up run
// each), in two modes doing the same work for both tools: the signature only
// (--insecure-ignore-tlog), and the signature plus its log entry checked offline against the
// trusted log key (SIGSTORE_REKOR_PUBLIC_KEY).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, peerPath, runPeer, runProgram, type RunResult } from '../test/support/peers.ts';
import { startSigilServer } from '../test/support/sigil-server.ts';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { canonicalJsonBytes, encodeBase64, encodeHex, encodePem, encodeUtf8, hashHex } from '../src/core/index.ts';
import { rekorKeyId } from '../src/merkle/index.ts';
import {
  ANNOTATION_BUNDLE, ANNOTATION_SIGNATURE, SIMPLE_SIGNING_MEDIA_TYPE, buildSignatureImage, createSimpleSigningPayload, parseSignatureManifest,
} from '../src/oci/index.ts';
import { verifyKeySignatures, type KeyPolicy } from '../src/verify/cosign-signatures.ts';
import { buildCli } from '../scripts/build-cli.ts';

/** Runs per tool and mode. */
const RUNS = 20;
const PASSWORD = 'bench-verify';

/** Median and 90th percentile of wall times, and the median CPU time (user + system), in ms. */
interface Timing { readonly medianMs: number; readonly p90Ms: number; readonly cpuMedianMs: number }

/** One command line to time. */
interface Run { readonly file: string; readonly args: readonly string[]; readonly env: Record<string, string> }

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function summarise(ms: readonly number[], cpuMs: readonly number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90), cpuMedianMs: percentile([...cpuMs].sort((a, b) => a - b), 50) };
}

async function timed(run: Run, what: string): Promise<number> {
  const started = performance.now();
  const r = await runProgram(run.file, run.args, { env: run.env });
  const ms = performance.now() - started;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr}`);
  return ms;
}

/**
 * The CPU time (user + system, ms) one run took, all its processes and threads, from bash's
 * `times` for its children: on a machine shared with other work this moves far less than wall time.
 */
async function cpuTime(run: Run, what: string): Promise<number> {
  const r = await runProgram('bash', ['-c', '"$@" >/dev/null 2>&1 || exit 99; times', 'cpu', run.file, ...run.args], { env: run.env });
  const m = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`${what} failed (exit ${r.code}): ${r.stdout}`);
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** Runs both commands once to warm up, then RUNS times each for wall time and RUNS for CPU time, alternating. */
async function race(sigil: Run, cosign: Run): Promise<{ sigil: Timing; cosign: Timing }> {
  await timed(sigil, 'sigil (warm-up)');
  await timed(cosign, 'cosign (warm-up)');
  const s: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    s.push(await timed(sigil, 'sigil'));
    c.push(await timed(cosign, 'cosign'));
  }
  const sCpu: number[] = [];
  const cCpu: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    sCpu.push(await cpuTime(sigil, 'sigil'));
    cCpu.push(await cpuTime(cosign, 'cosign'));
  }
  return { sigil: summarise(s, sCpu), cosign: summarise(c, cCpu) };
}

/** A signed image, its key and the log key, in a running sigil server. */
interface Fixture { readonly ref: string; readonly pub: string; readonly logPub: string; readonly env: Record<string, string> }

const SIGIL_BIN = join(PROJECT_ROOT, 'bin', 'sigil');

async function must(p: Promise<RunResult>, what: string): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what}: ${r.stderr}`);
}

/** Pushes an image, makes a key pair, signs the image with sigil (logged), and saves the log key. */
async function prepare(dir: string, host: string, url: string): Promise<Fixture> {
  mkdirSync(join(dir, 'docker'), { recursive: true });
  const env = { COSIGN_PASSWORD: PASSWORD, HOME: dir, DOCKER_CONFIG: join(dir, 'docker') };
  const layout = join(dir, 'layout');
  await must(runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), layout]), 'make-image');
  const ref = `${host}/bench/verify:v1`;
  await must(runPeer('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${ref}`]), 'skopeo push');
  await must(runProgram(SIGIL_BIN, ['generate-key-pair', '--output-key-prefix', join(dir, 'k')], { env }), 'generate-key-pair');
  await must(runProgram(SIGIL_BIN, ['sign', '--key', join(dir, 'k.key'), '--rekor-url', url, ref], { env }), 'sigil sign');
  const logPub = join(dir, 'log.pub');
  await writeFile(logPub, await (await fetch(`${url}/api/v1/log/publicKey`)).text());
  return { ref, pub: join(dir, 'k.pub'), logPub, env };
}

async function cosignVersion(): Promise<string> {
  const version = (await runPeer('cosign', ['version', '--json'])).stdout;
  const reported = /"gitVersion":\s*"([^"]+)"/.exec(version)?.[1] ?? 'unknown';
  // Debian's cosign 2.5 (scripts/install-peers.sh) is built without version stamping
  return reported === 'devel' ? 'cosign 2.5 from Debian 13, which reports version devel' : `cosign ${reported}`;
}

/** Runs the verify benchmark; returns the markdown section for docs/benchmarks.md. `_seconds` is unused: the run count is fixed. */
export async function runVerifyBench(_seconds: number): Promise<string> {
  // bin/sigil runs the bundle only while it matches the sources: build it, so the run measures it
  await buildCli();
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-verify-'));
  const sigil = await startSigilServer(join(dir, 'data'));
  try {
    const { ref, pub, logPub, env } = await prepare(dir, sigil.host, sigil.url);
    const cosign = peerPath('cosign');
    const cosignArgs = ['verify', '--key', pub, '--allow-insecure-registry', '--allow-http-registry'];
    const sigilArgs = ['verify', '--key', pub, '--allow-insecure-registry'];
    const loadBefore = loadavg()[0] ?? NaN;
    const noLog = await race(
      { file: SIGIL_BIN, args: [...sigilArgs, '--insecure-ignore-tlog', ref], env },
      { file: cosign, args: [...cosignArgs, '--insecure-ignore-tlog', ref], env },
    );
    const logEnv = { ...env, SIGSTORE_REKOR_PUBLIC_KEY: logPub };
    const withLog = await race(
      { file: SIGIL_BIN, args: [...sigilArgs, ref], env: logEnv },
      { file: cosign, args: [...cosignArgs, '--rekor-url', sigil.url, ref], env: logEnv },
    );
    const startup = await race({ file: SIGIL_BIN, args: ['version'], env }, { file: cosign, args: ['version'], env });
    const load = `The machine is shared with other work: its 1-minute load average was ${loadBefore.toFixed(1)} when the timed runs began and ${(loadavg()[0] ?? NaN).toFixed(1)} when they ended, on 2 cores; both tools ran under the same load, interleaved.`;
    const inProcess = measureInProcess(1000);
    return `${renderTable({ noLog, withLog, startup }, await cosignVersion())}\n\n${load}\n\n${inProcess}`;
  } finally {
    await sigil.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

type Pair = { readonly sigil: Timing; readonly cosign: Timing };

function renderTable(r: { readonly noLog: Pair; readonly withLog: Pair; readonly startup: Pair }, cosignVersion: string): string {
  const row = (label: string, p: Pair): string[] => [
    `| ${label}, median | ${p.sigil.medianMs.toFixed(1)} | ${p.cosign.medianMs.toFixed(1)} | ${(p.sigil.medianMs / p.cosign.medianMs).toFixed(2)}x |`,
    `| ${label}, p90 | ${p.sigil.p90Ms.toFixed(1)} | ${p.cosign.p90Ms.toFixed(1)} | ${(p.sigil.p90Ms / p.cosign.p90Ms).toFixed(2)}x |`,
    `| ${label}, CPU time median | ${p.sigil.cpuMedianMs.toFixed(1)} | ${p.cosign.cpuMedianMs.toFixed(1)} | ${(p.sigil.cpuMedianMs / p.cosign.cpuMedianMs).toFixed(2)}x |`,
  ];
  return [
    `Whole-process wall time (spawn to exit, ms) of \`sigil verify --key\` and \`cosign verify --key\` (${cosignVersion}) on the same image, signed once by sigil with its log entry, in sigil's registry on 127.0.0.1; sigil runs from its esbuild bundle (scripts/build-cli.ts, rebuilt at the start of the run), \`verify --key\` from the bundle's one-file fast path and its code cache, which the first warm-up run writes. ${RUNS} runs each after one warm-up, interleaved. "signature only" passes \`--insecure-ignore-tlog\` to both; "with log entry" makes both check the bundle annotation's signed entry timestamp offline against SIGSTORE_REKOR_PUBLIC_KEY. The last rows time each tool's \`version\` command, the cost of starting the process at all. CPU time is user plus system time of the whole process (all threads), from ${RUNS} further interleaved runs each. Ratio is sigil / cosign (lower is better).`,
    '',
    `| measure | sigil | cosign | ratio |`,
    '| --- | ---: | ---: | ---: |',
    ...row('signature only', r.noLog),
    ...row('with log entry', r.withLog),
    ...row('startup floor: `version`', r.startup),
  ].join('\n');
}

/**
 * In-process verification of `count` signed images (each with its own digest, a cosign signature
 * layer and a Rekor bundle annotation whose SET is checked), through the same verifier `sigil
 * verify` runs. cosign has no in-process equivalent to run beside it, so this is reported alone.
 */
function measureInProcess(count: number): string {
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const log = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(signer.publicKey.export({ format: 'der', type: 'spki' }));
  const logSpki = new Uint8Array(log.publicKey.export({ format: 'der', type: 'spki' }));
  const logId = encodeHex(rekorKeyId(logSpki));
  const keyPem = encodeBase64(encodeUtf8(encodePem('PUBLIC KEY', spki)));
  const images = Array.from({ length: count }, (_, i) => {
    const digest = `sha256:${hashHex('sha256', `image ${i}`)}`;
    const payload = createSimpleSigningPayload('127.0.0.1:5000/bench/app', digest);
    const sig = encodeBase64(new Uint8Array(nodeSign('sha256', payload, signer.privateKey)));
    const body = canonicalJsonBytes({ apiVersion: '0.0.1', kind: 'hashedrekord', spec: { data: { hash: { algorithm: 'sha256', value: hashHex('sha256', payload) } }, signature: { content: sig, publicKey: { content: keyPem } } } });
    const set = { body: encodeBase64(body), integratedTime: 1_700_000_000 + i, logID: logId, logIndex: i };
    const bundle = JSON.stringify({ SignedEntryTimestamp: encodeBase64(new Uint8Array(nodeSign('sha256', canonicalJsonBytes(set), log.privateKey))), Payload: set });
    const built = buildSignatureImage([{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations: { [ANNOTATION_SIGNATURE]: sig, [ANNOTATION_BUNDLE]: bundle } }]);
    const refs = parseSignatureManifest(built.manifest);
    return { digest, candidates: refs.map((layer) => ({ source: 'bench', layer, payload })) };
  });
  const policyOf = (digest: string): KeyPolicy => ({
    imageDigest: digest, publicKey: { spkiDer: spki, algorithm: 'ecdsa-p256-sha256' },
    logKeys: [{ spkiDer: logSpki, algorithm: 'ecdsa-p256-sha256' }], requireTlog: true,
  });
  const started = performance.now();
  for (const image of images) verifyKeySignatures(image.candidates, policyOf(image.digest));
  const seconds = (performance.now() - started) / 1000;
  return `In process: ${count} signed images (each a signature layer with a Rekor bundle whose SET is checked) verified by the verifier \`sigil verify\` uses, in ${(seconds * 1000).toFixed(0)} ms: **${(count / seconds).toFixed(0)} images/s** on one core. cosign has no in-process mode to run beside it.`;
}
