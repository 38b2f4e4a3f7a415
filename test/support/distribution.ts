// Starts a real CNCF distribution registry (Debian's docker-registry) on a free 127.0.0.1 port
// with temp storage and a generated config, optionally with htpasswd basic auth. The binary is
// required: when it cannot be found, the tests fail (they never skip).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { SelfSigned } from './tls.ts';

/** A running registry. */
export interface Distribution {
  /** `127.0.0.1:<port>`, usable as the registry part of a reference */
  readonly host: string;
  readonly url: string;
  readonly storageDir: string;
  /** the registry process, for memory readings */
  readonly pid: number;
  stop(): Promise<void>;
}

/** A user for htpasswd auth. */
export interface HtpasswdUser { readonly username: string; readonly password: string }

const CANDIDATES = ['docker-registry', 'registry', 'distribution'];

/** Finds the registry binary: $SIGIL_DISTRIBUTION_BIN, else docker-registry on PATH. */
export function findDistributionBinary(): string {
  const explicit = process.env['SIGIL_DISTRIBUTION_BIN'];
  if (explicit) return explicit;
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  for (const name of CANDIDATES) for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  throw new Error('the CNCF distribution registry (docker-registry) is not installed: apt-get install docker-registry, or set SIGIL_DISTRIBUTION_BIN');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** distribution's `auth: token` settings. */
export interface TokenAuth { readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertPath: string }

/** TLS for the registry; with clientCaPath it wants a client certificate issued by that CA (mutual TLS). */
export type DistributionTls = SelfSigned & { readonly clientCaPath?: string };

function config(storageDir: string, port: number, htpasswdPath: string | undefined, tls: DistributionTls | undefined, token: TokenAuth | undefined): string {
  const lines = [
    'version: 0.1',
    'log:', '  level: error', '  accesslog:', '    disabled: true',
    // Debian's packaged config caches blob descriptors in memory; keep that, so benchmarks are fair
    'storage:', '  cache:', '    blobdescriptor: inmemory', '  filesystem:', `    rootdirectory: ${storageDir}`, '  delete:', '    enabled: true',
    '  maintenance:', '    uploadpurging:', '      enabled: false',
    'http:', `  addr: 127.0.0.1:${port}`, '  secret: sigil-test-secret',
  ];
  if (tls) lines.push('  tls:', `    certificate: ${tls.certPath}`, `    key: ${tls.keyPath}`);
  if (tls?.clientCaPath) lines.push('    clientcas:', `      - ${tls.clientCaPath}`);
  if (token) {
    lines.push('auth:', '  token:', `    realm: ${token.realm}`, `    service: ${token.service}`, `    issuer: ${token.issuer}`, `    rootcertbundle: ${token.rootCertPath}`);
  }
  if (htpasswdPath) lines.push('auth:', '  htpasswd:', '    realm: sigil-test', `    path: ${htpasswdPath}`);
  return `${lines.join('\n')}\n`;
}

async function waitReady(url: string, child: ChildProcess, output: () => string, tls: boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${output()}`);
    try {
      if (tls) { if (await isListening(url)) return; } else {
        const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        if (response.status === 200 || response.status === 401) return;
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not become ready: ${output()}`);
}

/** True when something accepts TCP connections at `url`'s port. */
function isListening(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Starts a registry (with htpasswd users or token auth, or serving TLS); stop() kills it and removes its storage. */
export async function startDistribution(options: { users?: readonly HtpasswdUser[]; tls?: DistributionTls; token?: TokenAuth } = {}): Promise<Distribution> {
  const binary = findDistributionBinary();
  const dir = await mkdtemp(join(tmpdir(), 'sigil-distribution-'));
  const storageDir = join(dir, 'storage');
  let htpasswdPath: string | undefined;
  if (options.users) {
    htpasswdPath = join(dir, 'htpasswd');
    await writeFile(htpasswdPath, options.users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, 5)}\n`).join(''));
  }
  const port = await freePort();
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, config(storageDir, port, htpasswdPath, options.tls, options.token));
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  try { await waitReady(url, child, () => output.slice(-2000), options.tls !== undefined); } catch (error) { child.kill('SIGKILL'); throw error; }
  return {
    host: `127.0.0.1:${port}`, url, storageDir, pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
