// Transparency-log benchmark: durable appends/s with 64 concurrent clients on SQLite and on
// PostgreSQL (as a fraction of this machine's ECDSA P-256 signing ceiling, measured in the same
// run), and p50/p99 latency of fetching an entry with its inclusion proof as the log grows.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cpuSecondsOf, getOnce } from './server-probe.ts';
import { startSigilServer, type SigilServerProcess } from '../test/support/sigil-server.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { makeProposals, parseCreated } from '../test/tlog/crash-support.ts';
import { openPostClient } from './post-client.ts';

const CLIENTS = 64;

// Signatures per second of wall time, and per second of this thread's CPU time (the rate a
// quiet core would give: on a shared machine the two differ by the share of the core we got).
function signCeilingPerSec(): { wall: number; cpu: number } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.alloc(200, 1);
  const n = 5000;
  const t = performance.now();
  const c = process.cpuUsage();
  for (let i = 0; i < n; i += 1) sign('sha256', data, privateKey);
  const cpu = process.cpuUsage(c);
  return { wall: n / ((performance.now() - t) / 1000), cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

interface AppendRun { perSec: number; cpuMsPerEntry: number; clientCpuMsPerEntry: number; uuids: string[] }

async function appendRate(server: SigilServerProcess, bodies: readonly string[]): Promise<AppendRun> {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => openPostClient(`${server.url}/api/v1/log/entries`)));
  const uuids: string[] = [];
  let next = 0;
  const cpuBefore = cpuSecondsOf(server.child.pid);
  const clientCpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(clients.map(async (client) => {
    while (next < bodies.length) {
      const answer = await client.post(bodies[next++] ?? '');
      if (answer.status !== 201) throw new Error(`append answered ${answer.status}: ${answer.body}`);
      uuids.push(parseCreated(answer.body).uuid);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPerEntry = ((cpuSecondsOf(server.child.pid) - cpuBefore) * 1000) / bodies.length;
  const client = process.cpuUsage(clientCpu);
  for (const c of clients) c.close();
  return { perSec: bodies.length / seconds, cpuMsPerEntry, clientCpuMsPerEntry: (client.user + client.system) / 1000 / bodies.length, uuids };
}

async function proofLatency(server: SigilServerProcess, uuids: readonly string[], samples: number): Promise<{ p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const uuid = uuids[Math.floor((i * 7919) % uuids.length)] ?? '';
    times.push(await getOnce(agent, `${server.url}/api/v1/log/entries/${uuid}`));
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)] ?? NaN, p99: times[Math.floor(times.length * 0.99)] ?? NaN };
}

/** Runs the log benchmark with `entries` appends per backend; returns the markdown section. */
export async function runLogBench(seconds: number): Promise<string> {
  const entries = Math.max(1000, Math.round(seconds * 1000));
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-log-'));
  const ceiling = signCeilingPerSec();
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[] = [];
  const pg = await startPostgres();
  try {
    for (const backend of ['sqlite', 'postgresql'] as const) {
      const extra = backend === 'postgresql' ? ['--log-postgres-url', await pg.createDatabase('bench')] : [];
      const server = await startSigilServer(join(dir, backend), ['--only', 'log', ...extra]);
      try {
        const bodies = makeProposals(entries);
        const step = Math.max(1, Math.floor(entries / 4));
        const growth: string[] = [];
        const all: string[] = [];
        let perSec = 0;
        let cpuMs = 0;
        let clientCpuMs = 0;
        for (let from = 0; from < entries; from += step) {
          const r = await appendRate(server, bodies.slice(from, from + step));
          all.push(...r.uuids);
          perSec = r.perSec;
          cpuMs = r.cpuMsPerEntry;
          clientCpuMs = r.clientCpuMsPerEntry;
          const lat = await proofLatency(server, all, 400);
          growth.push(`${all.length}: p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms`);
        }
        const perCpuSecond = 1000 / cpuMs;
        rows.push(`| ${backend} | ${perSec.toFixed(0)} | ${((perSec / ceiling.wall) * 100).toFixed(1)}% | ${(cpuMs * 1000).toFixed(0)} µs | ${(clientCpuMs * 1000).toFixed(0)} µs | ${perCpuSecond.toFixed(0)} | ${((perCpuSecond / ceiling.cpu) * 100).toFixed(1)}% | ${growth.join('; ')} |`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg()[0] ?? 0;
  return [
    `The machine has ${availableParallelism()} cores, shared: its 1-minute load average was ${loadBefore.toFixed(1)} when the run started and ${loadAfter.toFixed(1)} when it ended (other work ran beside it; the benchmark's own client also runs on these cores).`,
    '',
    `Appends: ${CLIENTS} keep-alive connections (a lean load generator on node:net, one request in flight on each, every answer checked for its 201 and entry) POST pre-signed hashedrekord entries (one signer key, as a CI job signs) to \`sigil server --only log\` (signature checks on ${Math.max(0, availableParallelism() - 1)} worker thread(s), the default); each is answered only after its batch committed (SQLite WAL with synchronous=FULL; the benchmark's own PostgreSQL runs with fsync=off, so there a commit is the server's, not the disk's). The ceiling is this machine's ECDSA P-256 signing rate measured in the same run: ${ceiling.wall.toFixed(0)}/s of wall time on one core as we got it, ${ceiling.cpu.toFixed(0)}/s per second of CPU time (a quiet core). Server CPU per append is the server process's CPU time (all its threads, from /proc) over the last quarter's appends; client CPU per append is the load generator's, on the same cores; appends per CPU-second is what one fully available core would sustain at the server's cost. Lookups: GET of an entry by uuid with its inclusion proof and checkpoint, 400 samples, one client, measured after each quarter of the appends. No peer log server is packaged for this machine, so the comparison is against the signing ceiling, as the issue asks.`,
    '',
    '| backend | durable appends/s (last quarter) | of the ceiling | server CPU per append | client CPU per append | appends per CPU-second | of the ceiling per CPU-second | entry + proof lookup latency as the log grows |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
