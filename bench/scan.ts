// Scan benchmark: `sigil scan repo` over sigil's registry holding 10,000 tags in 100 repositories,
// half of them signed (cosign `.sig` tags, each a real ECDSA signature over its own payload), at
// concurrency 1, 8 and 32; and `sigil scan fs` over a tree of 10,000 files (unsigned JARs, small
// PE images and plain data files). Whole-process wall time of bin/sigil, output to JSON.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto';
import { PROJECT_ROOT, runProgram } from '../test/support/peers.ts';
import { startSigilServer } from '../test/support/sigil-server.ts';
import { createTestClient } from '../test/support/client.ts';
import { buildZip } from '../test/support/zip-writer.ts';
import { buildTinyPe } from '../test/support/tiny-pe.ts';
import { bytesBlobSource, createRegistryClient, type RegistryClient } from '../src/adapters/registry-client/index.ts';
import { createBufferedFetch, createRegistrySource } from '../src/adapters/registry-scan/index.ts';
import { scanRegistry } from '../src/scan/index.ts';
import { encodeBase64, encodeUtf8, sha256Digest } from '../src/core/index.ts';
import { ANNOTATION_SIGNATURE, OCI_CONFIG, OCI_LAYER_TAR_GZIP, OCI_MANIFEST, SIMPLE_SIGNING_MEDIA_TYPE, buildSignatureImage, createSimpleSigningPayload, signatureTag } from '../src/oci/index.ts';

const SIGIL_BIN = join(PROJECT_ROOT, 'bin', 'sigil');
const REPOSITORIES = 100;
const TAGS_PER_REPOSITORY = 100;
const FILES = 10_000;
const CONCURRENCIES = [1, 8, 32] as const;

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < items.length) { const i = next; next += 1; await fn(items[i] as T); } }));
}

/** Pushes one repository: a config and a layer blob, TAGS_PER_REPOSITORY small manifests, a signature for every other one. */
async function pushRepository(client: RegistryClient, host: string, repository: string, key: ReturnType<typeof generateKeyPairSync>['privateKey'], tagCount: number): Promise<void> {
  const repo = { registry: host, repository };
  const config = encodeUtf8(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {}, repository }));
  const layer = new Uint8Array(randomBytes(256));
  await client.pushBlob(repo, bytesBlobSource(sha256Digest(config), config));
  await client.pushBlob(repo, bytesBlobSource(sha256Digest(layer), layer));
  await inParallel(Array.from({ length: tagCount }, (_, i) => i), 4, async (i) => {
    const manifest = encodeUtf8(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.byteLength },
      layers: [{ mediaType: OCI_LAYER_TAR_GZIP, digest: sha256Digest(layer), size: layer.byteLength }],
      annotations: { 'org.opencontainers.image.version': String(i) },
    }));
    const digest = await client.putManifest(repo, `v${i}`, manifest, OCI_MANIFEST);
    if (i % 2 === 1) return;
    const payload = createSimpleSigningPayload(`${host}/${repository}`, digest);
    const signature = encodeBase64(new Uint8Array(nodeSign('sha256', payload, key)));
    const image = buildSignatureImage([{ mediaType: SIMPLE_SIGNING_MEDIA_TYPE, payload, annotations: { [ANNOTATION_SIGNATURE]: signature } }]);
    for (const [d, bytes] of [[image.configDigest, image.config] as const, ...image.blobs]) await client.pushBlob(repo, bytesBlobSource(d, bytes));
    await client.putManifest(repo, signatureTag(digest), image.manifest, image.mediaType);
  });
}

/** User+system CPU seconds a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The same scan in this process at concurrency 8, measuring CPU seconds of the scanner and of the
 * registry server: on a shared machine wall time says little, CPU per tag says what two free cores
 * would do (each side needs its CPU time; they run in parallel).
 */
async function measureCpu(host: string, serverPid: number, tags: number): Promise<string> {
  const fetch = createBufferedFetch({ maxBodyBytes: 16 << 20, connections: 24, insecure: false });
  const client = createRegistryClient({ fetch, timeoutMs: 60_000, credentials: async () => undefined, sleep: async () => undefined, now: () => new Date(), jitter: () => 0.5 });
  const serverBefore = processCpuSeconds(serverPid);
  const before = process.cpuUsage();
  const report = await scanRegistry(createRegistrySource(client, host), host, '', { concurrency: 8, trust: null });
  const used = process.cpuUsage(before);
  const scanner = (used.user + used.system) / 1e6;
  const server = processCpuSeconds(serverPid) - serverBefore;
  if (report.entries.length !== tags) throw new Error(`in-process scan found ${report.entries.length} entries`);
  const ceiling = tags / Math.max(scanner, server);
  return `CPU for the ${tags} tags (in process, concurrency 8): scanner ${scanner.toFixed(2)} s (${(scanner / tags * 1e6).toFixed(0)} µs per tag), registry server ${server.toFixed(2)} s (${(server / tags * 1e6).toFixed(0)} µs per tag). With a free core each, the slower side bounds the scan at about **${ceiling.toFixed(0)} tags/s**.`;
}

interface Timed { readonly seconds: number; readonly stdout: string }

async function timedSigil(args: readonly string[]): Promise<Timed> {
  const started = performance.now();
  const r = await runProgram(SIGIL_BIN, args, { timeoutMs: 600_000, env: { HOME: tmpdir(), DOCKER_CONFIG: join(tmpdir(), 'sigil-bench-no-docker') } });
  const seconds = (performance.now() - started) / 1000;
  if (r.code !== 0) throw new Error(`sigil ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
  return { seconds, stdout: r.stdout };
}

/** Fills a registry with `repositories` x `tagCount` small images, every other one signed. */
export async function populateRegistry(host: string, repositories: number, tagCount: number): Promise<void> {
  const { client } = createTestClient();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await inParallel(Array.from({ length: repositories }, (_, i) => `bench/r${String(i).padStart(3, '0')}`), 8, (r) => pushRepository(client, host, r, privateKey, tagCount));
}

// the registry's data goes to a memory filesystem when there is one: its fsyncs are no-ops, so
// populating 15,000 manifests takes seconds, not minutes (the scan reads, it does not write)
async function dataDir(dir: string): Promise<string> {
  return existsSync('/dev/shm') ? mkdtemp(join('/dev/shm', 'sigil-bench-scan-')) : join(dir, 'data');
}

async function benchRepo(dir: string): Promise<string[]> {
  const data = await dataDir(dir);
  const server = await startSigilServer(data);
  try {
    const started = performance.now();
    await populateRegistry(server.host, REPOSITORIES, TAGS_PER_REPOSITORY);
    const populate = (performance.now() - started) / 1000;
    const tags = REPOSITORIES * TAGS_PER_REPOSITORY;
    const rows: string[] = [];
    for (const concurrency of CONCURRENCIES) {
      const run = await timedSigil(['scan', 'repo', server.host, '--output', 'json', '--concurrency', String(concurrency)]);
      const summary = (JSON.parse(run.stdout) as { summary: { entries: number; signatures: number } }).summary;
      if (summary.entries !== tags || summary.signatures !== tags / 2) throw new Error(`scan found ${summary.entries} entries and ${summary.signatures} signatures`);
      rows.push(`| ${concurrency} | ${run.seconds.toFixed(2)} | ${(tags / run.seconds).toFixed(0)} |`);
    }
    const cpu = await measureCpu(server.host, server.child.pid ?? 0, tags);
    return [
      `\`sigil scan repo\` (whole process, \`--output json\`) over sigil's registry on 127.0.0.1 holding ${tags} tags in ${REPOSITORIES} repositories, every other one signed (a cosign \`.sig\` tag with a real ECDSA signature; populated over HTTP in ${populate.toFixed(1)} s). The scan lists the catalog and tags, GETs every tag's manifest, reads every signature manifest, and asks for referrers: all ${tags / 2} signatures are found. Server and scanner share the machine's cores.`,
      '',
      '| concurrency | wall time (s) | tags/s |',
      '| ---: | ---: | ---: |',
      ...rows,
      '',
      cpu,
    ];
  } finally {
    await server.stop();
    await rm(data, { recursive: true, force: true });
  }
}

/** A tree of FILES files: 5% unsigned JARs, 5% small PE images, the rest 8 KiB data files, 100 per directory. */
async function makeTree(root: string): Promise<number> {
  let bytes = 0;
  for (let d = 0; d < FILES / 100; d += 1) {
    const dir = join(root, `d${d}`);
    await mkdir(dir, { recursive: true });
    for (let f = 0; f < 100; f += 1) {
      const n = d * 100 + f;
      const content = n % 20 === 0
        ? buildZip([{ name: 'META-INF/MANIFEST.MF', data: encodeUtf8('Manifest-Version: 1.0\r\n\r\n') }, { name: `a/C${n}.class`, data: new Uint8Array(randomBytes(4096)) }])
        : n % 20 === 1 ? buildTinyPe({ pe32Plus: n % 40 === 1 }) : new Uint8Array(randomBytes(8192));
      bytes += content.byteLength;
      await writeFile(join(dir, `f${n}${n % 20 === 0 ? '.jar' : n % 20 === 1 ? '.exe' : '.bin'}`), content);
    }
  }
  return bytes;
}

async function benchFs(dir: string): Promise<string[]> {
  const root = join(dir, 'tree');
  const bytes = await makeTree(root);
  const run = await timedSigil(['scan', 'fs', root, '--output', 'json']);
  const entries = (JSON.parse(run.stdout) as { summary: { entries: number } }).summary.entries;
  if (entries !== FILES) throw new Error(`scan fs met ${entries} entries, not ${FILES}`);
  return [
    `\`sigil scan fs\` (whole process, \`--output json\`, default concurrency 4) over ${FILES} files in ${FILES / 100} directories: 5% unsigned JARs (each hashed, its directory read and its manifest checked), 5% tiny PE images (hashed, headers parsed), 90% 8 KiB data files (sniffed by their first bytes). ${(bytes / 1e6).toFixed(1)} MB in all.`,
    '',
    '| files | wall time (s) | files/s | MB/s |',
    '| ---: | ---: | ---: | ---: |',
    `| ${FILES} | ${run.seconds.toFixed(2)} | ${(FILES / run.seconds).toFixed(0)} | ${(bytes / 1e6 / run.seconds).toFixed(1)} |`,
  ];
}

/** Runs the scan benchmark; returns the markdown section for docs/benchmarks.md. `_seconds` is unused: the workload is fixed. */
export async function runScanBench(_seconds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-bench-scan-'));
  try {
    const load = loadavg()[0]?.toFixed(1) ?? '?';
    const body = [...(await benchRepo(dir)), '', ...(await benchFs(dir))];
    return [`1-minute load average when the run started: ${load} (the machine is shared).`, '', ...body].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
