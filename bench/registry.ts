// Registry benchmark: the same workload against sigil's embedded registry and Debian's CNCF
// distribution 2.8, in one run: manifest GET/HEAD requests/s with 32 connections (wrk), blob push
// and pull MB/s at 1 MiB and 64 MiB, and each server's peak resident memory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { peerPath, runPeer, runProgram, PROJECT_ROOT } from '../test/support/peers.ts';
import { startSigilServer } from '../test/support/sigil-server.ts';
import { startDistribution } from '../test/support/distribution.ts';
import { buildCli } from '../scripts/build-cli.ts';

/** One server under test. */
interface Target { readonly name: string; readonly url: string; readonly host: string; readonly pid: number }

/** Results for one target. */
export interface RegistryResult {
  readonly getPerSec: number;
  readonly headPerSec: number;
  readonly push1MiBMBps: number;
  readonly pull1MiBMBps: number;
  readonly push64MiBMBps: number;
  readonly pull64MiBMBps: number;
  readonly peakRssMiB: number;
  /** peak private (anonymous) resident memory, sampled: RSS without the mapped executable's pages */
  readonly peakAnonMiB: number;
  /** the workload phase during which the RssAnon peak was sampled */
  readonly peakAnonPhase: string;
  /** server CPU time (user + system) per manifest GET during the wrk run, microseconds */
  readonly getCpuMicros: number;
  /** server CPU time per MiB of 64 MiB blobs pushed (receive, hash, write, fsync), milliseconds */
  readonly push64CpuMsPerMiB: number;
  /** server CPU time per MiB of 64 MiB blobs pulled, milliseconds */
  readonly pull64CpuMsPerMiB: number;
}

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json';
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** HEAD requests/s by ApacheBench (wrk mishandles bodiless HEAD answers that carry Content-Length). */
async function abHead(url: string, seconds: number): Promise<number> {
  const r = await runProgram(peerPath('ab'), ['-q', '-k', '-i', '-c', '32', '-t', String(seconds), '-n', '10000000', '-H', `Accept: ${ACCEPT}`, url], { timeoutMs: (seconds + 30) * 1000 });
  const m = /Requests per second:\s+([\d.]+)/.exec(r.stdout);
  const failed = /Non-2xx responses:\s+(\d+)/.exec(r.stdout);
  if (!m || failed) throw new Error(`ab failed against ${url}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Requests/s and the number of requests wrk completed. */
async function wrk(url: string, method: 'GET' | 'HEAD', seconds: number): Promise<{ perSec: number; count: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-wrk-'));
  const script = join(dir, 'method.lua');
  await writeFile(script, `wrk.method = "${method}"\n`);
  const r = await runProgram(peerPath('wrk'), ['-t2', '-c32', `-d${seconds}s`, '-s', script, '-H', `Accept: ${ACCEPT}`, url], { timeoutMs: (seconds + 30) * 1000 });
  await rm(dir, { recursive: true, force: true });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  const count = /(\d+) requests in/.exec(r.stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout);
  if (!m || !count || non2xx) throw new Error(`wrk failed against ${url}: ${r.stdout}${r.stderr}`);
  return { perSec: Number(m[1]), count: Number(count[1]) };
}

function send(method: string, url: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.byteLength; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Monolithic push (POST then PUT with the whole body), as most clients do for small blobs. */
async function pushBlob(base: string, repo: string, blob: Uint8Array): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  const start = await send('POST', `${base}/v2/${repo}/blobs/uploads/`);
  if (start.status !== 202) throw new Error(`POST upload answered ${start.status}`);
  const location = new URL(String(start.headers['location']), base);
  location.searchParams.set('digest', digest);
  const put = await send('PUT', location.toString(), blob, { 'content-type': 'application/octet-stream' });
  if (put.status !== 201) throw new Error(`PUT upload answered ${put.status}`);
  return digest;
}

/** Rounds of pulls per blob size; the median round is reported. */
const PULL_ROUNDS = 5;

async function blobRates(t: Target, sizeBytes: number, count: number, enter: (phase: string) => void): Promise<{ push: number; pull: number; pushCpuMsPerMiB: number; pullCpuMsPerMiB: number }> {
  const blobs = Array.from({ length: count }, () => randomBytes(sizeBytes));
  const label = sizeBytes >= 1 << 20 ? `${sizeBytes / (1 << 20)} MiB` : `${sizeBytes} B`;
  enter(`the ${label} blob pushes`);
  let cpuBefore = await cpuMs(t.pid);
  let started = performance.now();
  const digests: string[] = [];
  for (const b of blobs) digests.push(await pushBlob(t.url, 'bench/blobs', b));
  const pushSec = (performance.now() - started) / 1000;
  const pushCpu = (await cpuMs(t.pid)) - cpuBefore;
  enter(`the ${label} blob pulls`);
  cpuBefore = await cpuMs(t.pid);
  // every blob pulled in PULL_ROUNDS rounds, the median round counted: one pass of four 64 MiB
  // pulls lasts well under a second, and its first round moved by a quarter from run to run
  const roundSec: number[] = [];
  for (let round = 0; round < PULL_ROUNDS; round += 1) {
    started = performance.now();
    for (const d of digests) {
      const r = await send('GET', `${t.url}/v2/bench/blobs/blobs/${d}`);
      if (r.status !== 200 || r.bytes !== sizeBytes) throw new Error(`blob GET answered ${r.status} with ${r.bytes} bytes`);
    }
    roundSec.push((performance.now() - started) / 1000);
  }
  const pullSec = [...roundSec].sort((a, b) => a - b)[Math.floor(PULL_ROUNDS / 2)] ?? NaN;
  const pullCpu = ((await cpuMs(t.pid)) - cpuBefore) / PULL_ROUNDS;
  const mb = (sizeBytes * count) / 1e6;
  const mib = (sizeBytes * count) / (1 << 20);
  return { push: mb / pushSec, pull: mb / pullSec, pushCpuMsPerMiB: pushCpu / mib, pullCpuMsPerMiB: pullCpu / mib };
}

async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Samples a process's anonymous resident memory (RssAnon) every 20 ms and keeps the peak, with
 * the workload phase it came in. VmHWM counts the pages of the executable that are mapped from
 * disk too (about 50 MiB of Node's binary and ICU data, 16 MiB of distribution's), which are
 * shared and reclaimable; RssAnon is the memory the server itself allocated.
 */
function sampleAnonPeak(pid: number): { enter(phase: string): void; stop(): { peak: number; phase: string } } {
  let peak = 0;
  let phase = 'the start';
  let peakPhase = phase;
  const read = (): void => {
    const current = phase;
    readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
      const m = /RssAnon:\s+(\d+) kB/.exec(status);
      const mib = m ? Number(m[1]) / 1024 : 0;
      if (mib > peak) { peak = mib; peakPhase = current; }
    }, () => undefined);
  };
  read();
  const timer = setInterval(read, 20);
  return {
    enter: (next) => { phase = next; },
    stop: () => { clearInterval(timer); return { peak, phase: peakPhase }; },
  };
}

async function measure(t: Target, layout: string, seconds: number): Promise<RegistryResult> {
  const anon = sampleAnonPeak(t.pid);
  anon.enter('the image push by skopeo');
  const push = await runPeer('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:latest`, `docker://${t.host}/bench/img:v1`]);
  if (push.code !== 0) throw new Error(`skopeo push to ${t.name} failed: ${push.stderr}`);
  const manifestUrl = `${t.url}/v2/bench/img/manifests/v1`;
  anon.enter('the manifest GETs');
  const cpuBefore = await cpuMs(t.pid);
  const get = await wrk(manifestUrl, 'GET', seconds);
  const getCpuMicros = (((await cpuMs(t.pid)) - cpuBefore) * 1000) / get.count;
  anon.enter('the manifest HEADs');
  const headPerSec = await abHead(manifestUrl, seconds);
  const small = await blobRates(t, 1 << 20, 64, anon.enter);
  const big = await blobRates(t, 64 << 20, 4, anon.enter);
  const memory = anon.stop();
  return {
    getPerSec: get.perSec, headPerSec,
    push1MiBMBps: small.push, pull1MiBMBps: small.pull,
    push64MiBMBps: big.push, pull64MiBMBps: big.pull,
    peakRssMiB: await peakRssMiB(t.pid),
    peakAnonMiB: memory.peak, peakAnonPhase: memory.phase,
    getCpuMicros, push64CpuMsPerMiB: big.pushCpuMsPerMiB, pull64CpuMsPerMiB: big.pullCpuMsPerMiB,
  };
}

/** Runs the registry benchmark; returns the markdown section for docs/benchmarks.md. */
export async function runRegistryBench(seconds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-'));
  const layout = join(dir, 'layout');
  const made = await runProgram('bash', [join(PROJECT_ROOT, 'scripts', 'make-image.sh'), layout]);
  if (made.code !== 0) throw new Error(made.stderr);
  // bin/sigil runs the bundle only while it matches the sources (else the sources, through Node's
  // TypeScript stripper): build it, and start the server once so that Node's compile cache holds
  // the new bundle, as it does from a user's second start on (a cold cache costs memory)
  await buildCli();
  const warm = await startSigilServer(join(dir, 'warm-up'), ['--only', 'registry']);
  if ((await warm.stop()) !== 0) throw new Error(`warm-up server exited abnormally: ${warm.stderr()}`);
  const sigil = await startSigilServer(join(dir, 'sigil'), ['--only', 'registry']);
  const dist = await startDistribution();
  const loadBefore = loadavg()[0] ?? 0;
  try {
    const s = await measure({ name: 'sigil', url: sigil.url, host: sigil.host, pid: sigil.child.pid ?? 0 }, layout, seconds);
    const d = await measure({ name: 'distribution', url: dist.url, host: dist.host, pid: dist.pid }, layout, seconds);
    return renderTable(s, d, seconds, [loadBefore, loadavg()[0] ?? 0]);
  } finally {
    await sigil.stop();
    await dist.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function renderTable(s: RegistryResult, d: RegistryResult, seconds: number, load: readonly [number, number]): string {
  const rows: [string, Exclude<keyof RegistryResult, 'peakAnonPhase'>, 'higher' | 'lower'][] = [
    ['manifest GET, 32 connections (req/s)', 'getPerSec', 'higher'],
    ['manifest HEAD, 32 connections, ab (req/s)', 'headPerSec', 'higher'],
    ['blob push, 1 MiB x 64 (MB/s)', 'push1MiBMBps', 'higher'],
    ['blob pull, 1 MiB x 64 (MB/s)', 'pull1MiBMBps', 'higher'],
    ['blob push, 64 MiB x 4 (MB/s)', 'push64MiBMBps', 'higher'],
    ['blob pull, 64 MiB x 4 (MB/s)', 'pull64MiBMBps', 'higher'],
    ['peak server RSS, VmHWM (MiB)', 'peakRssMiB', 'lower'],
    ['peak private memory, RssAnon sampled every 20 ms (MiB)', 'peakAnonMiB', 'lower'],
    ['server CPU per manifest GET (µs)', 'getCpuMicros', 'lower'],
    ['server CPU per MiB pushed, 64 MiB blobs (ms)', 'push64CpuMsPerMiB', 'lower'],
    ['server CPU per MiB pulled, 64 MiB blobs (ms)', 'pull64CpuMsPerMiB', 'lower'],
  ];
  const lines = [
    `Manifest GETs by wrk (2 threads, 32 connections, ${seconds} s), HEADs by ApacheBench (32 keep-alive connections, ${seconds} s); blobs pushed monolithically (once) and pulled one at a time over keep-alive (${PULL_ROUNDS} rounds of every blob, the median round counted) by the same Node client for both servers. Ratio is sigil / distribution (for memory and CPU, lower is better). Server CPU is user + system time from /proc, the steadier measure on a shared machine. 1-minute load average ${load[0].toFixed(1)} at the start and ${load[1].toFixed(1)} at the end of the run (2 cores shared with other work: wall-clock rates move from run to run).`,
    '',
    '| measure | sigil | distribution 2.8 | ratio |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const [label, key] of rows) {
    const format = (v: number): string => v.toFixed(Math.abs(v) < 10 ? 2 : 1);
    lines.push(`| ${label} | ${format(s[key])} | ${format(d[key])} | ${(s[key] / d[key]).toFixed(2)}x |`);
  }
  lines.push('', `Peak private memory came during ${s.peakAnonPhase} for sigil and during ${d.peakAnonPhase} for distribution.`);
  return lines.join('\n');
}
