// Metrics cost benchmark: the server CPU per registry manifest GET with /metrics on and off
// (`--no-metrics`): `sigil server --only registry` processes of both kinds loaded in turn by wrk
// in short interleaved phases, so both kinds see the same minutes of a shared machine. CPU is
// user + system time from /proc; a scrape of /metrics runs every second during each phase of a
// server that has it, as Prometheus would (more often than its usual 15 s).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath, runProgram } from '../test/support/peers.ts';
import { startSigilServer, type SigilServerProcess } from '../test/support/sigil-server.ts';
import { pushImage } from '../test/helpers/registry-server.ts';
import { cpuSecondsOf } from './server-probe.ts';

const ACCEPT = 'application/vnd.oci.image.manifest.v1+json';
const ROUNDS = 5;

interface Side { readonly name: string; readonly servers: readonly SigilServerProcess[]; readonly scrape: boolean; cpuSeconds: number; requests: number; readonly perRound: number[] }

async function wrk(url: string, seconds: number): Promise<number> {
  const r = await runProgram(peerPath('wrk'), ['-t2', '-c32', `-d${seconds}s`, '-H', `Accept: ${ACCEPT}`, url], { timeoutMs: (seconds + 30) * 1000 });
  const count = /(\d+) requests in/.exec(r.stdout);
  if (!count || /Non-2xx/.test(r.stdout)) throw new Error(`wrk failed against ${url}: ${r.stdout}${r.stderr}`);
  return Number(count[1]);
}

async function rssAnonMiB(pid: number | undefined): Promise<number> {
  const m = /RssAnon:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function phase(side: Side, server: SigilServerProcess, seconds: number): Promise<{ cpu: number; count: number }> {
  const pid = server.child.pid;
  const timer = side.scrape ? setInterval(() => { void fetch(`${server.url}/metrics`).then((r) => r.arrayBuffer()); }, 1000) : undefined;
  const before = cpuSecondsOf(pid);
  const count = await wrk(`${server.url}/v2/bench/img/manifests/v1`, seconds);
  const cpu = cpuSecondsOf(pid) - before;
  if (timer !== undefined) clearInterval(timer);
  side.cpuSeconds += cpu;
  side.requests += count;
  return { cpu, count };
}

/** Runs the metrics cost benchmark; returns the markdown section for docs/benchmarks.md. */
export async function runMetricsBench(seconds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-metrics-'));
  const phaseSeconds = Math.max(2, Math.round(seconds / 2));
  // two servers of each kind, started A B B A: a server's start order alone moved its CPU per
  // request by up to 4% in A/A runs here, so each kind gets one early and one late process
  const servers: SigilServerProcess[] = [];
  const load = [loadavg()[0] ?? 0];
  try {
    for (const [i, metrics] of [true, false, false, true].entries()) {
      servers.push(await startSigilServer(join(dir, String(i)), ['--only', 'registry', ...(metrics ? [] : ['--no-metrics'])]));
    }
    const [on1, off1, off2, on2] = servers as [SigilServerProcess, SigilServerProcess, SigilServerProcess, SigilServerProcess];
    const on: Side = { name: 'metrics on', servers: [on1, on2], scrape: true, cpuSeconds: 0, requests: 0, perRound: [] };
    const off: Side = { name: 'metrics off (--no-metrics)', servers: [off1, off2], scrape: false, cpuSeconds: 0, requests: 0, perRound: [] };
    for (const server of servers) {
      await pushImage(server.url, 'bench/img', 'v1', 'metrics-bench');
      await wrk(`${server.url}/v2/bench/img/manifests/v1`, 2);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const first = round % 2 === 0 ? 0 : 1;
      const plan: [Side, SigilServerProcess][] = [[on, on.servers[first]!], [off, off.servers[first]!], [off, off.servers[1 - first]!], [on, on.servers[1 - first]!]];
      const used = new Map<Side, { cpu: number; count: number }>([[on, { cpu: 0, count: 0 }], [off, { cpu: 0, count: 0 }]]);
      for (const [side, server] of plan) {
        const r = await phase(side, server, phaseSeconds);
        const u = used.get(side)!;
        u.cpu += r.cpu;
        u.count += r.count;
      }
      for (const [side, u] of used) side.perRound.push((u.cpu * 1e6) / u.count);
    }
    load.push(loadavg()[0] ?? 0);
    const memory = await Promise.all([on1, off1].map((s) => rssAnonMiB(s.child.pid)));
    return render([on, off], memory, phaseSeconds, load);
  } finally {
    for (const server of servers) await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function signed(percent: number): string {
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}`;
}

function render(sides: readonly Side[], memory: readonly number[], phaseSeconds: number, load: readonly number[]): string {
  const [a, b] = sides as [Side, Side];
  const micros = (s: Side): number => (s.cpuSeconds * 1e6) / s.requests;
  const overhead = (micros(a) / micros(b) - 1) * 100;
  // each round's two phases ran back to back: their ratio shares that minute's load
  const ratios = a.perRound.map((v, i) => v / (b.perRound[i] ?? NaN)).sort((x, y) => x - y);
  const median = ((ratios[(ratios.length - 1) >> 1] ?? NaN) + (ratios[ratios.length >> 1] ?? NaN)) / 2;
  const rows = sides.map((s, i) => `| ${s.name} | ${micros(s).toFixed(1)} | ${s.perRound.map((v) => v.toFixed(1)).join(', ')} | ${s.requests} | ${(memory[i] ?? NaN).toFixed(1)} |`);
  return [
    `Four \`sigil server --only registry\` processes, two with /metrics (scraped every second while loaded) and two with \`--no-metrics\`, started in the order on, off, off, on; each loaded by wrk (2 threads, 32 connections) with GETs of one manifest, in ${ROUNDS} rounds of four ${phaseSeconds} s phases (on, off, off, on, alternating which process of a kind goes first), after a 2 s warm-up each. Server CPU is user + system time from /proc over all phases, divided by the requests wrk completed. 1-minute load average ${(load[0] ?? 0).toFixed(1)} at the start and ${(load[1] ?? 0).toFixed(1)} at the end of the run.`,
    '',
    '| servers | CPU per manifest GET (µs) | per round (µs) | requests | RssAnon of the first at the end (MiB) |',
    '| --- | ---: | --- | ---: | ---: |',
    ...rows,
    '',
    `Metrics overhead: ${signed(overhead)}% CPU per manifest GET over all phases; median of the ${ratios.length} rounds' on/off ratios ${signed((median - 1) * 100)}%.`,
  ].join('\n');
}
