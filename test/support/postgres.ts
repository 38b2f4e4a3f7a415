// Starts a real PostgreSQL server (Debian's package) in a temporary folder on a loopback port,
// for the log's PostgreSQL tests. Fails, never skips, when PostgreSQL is not installed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';

/** A running PostgreSQL server. */
export interface PostgresServer {
  readonly port: number;
  /** a connection string for a fresh database on this server */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  throw new Error('postgresql is not installed: run scripts/setup.sh (it installs Debian\'s postgresql package)');
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function asPostgresUser(file: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

/** Initializes a cluster in a temp folder and starts it. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'sigil-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  const [initFile, initArgs] = asPostgresUser(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'sigil', '--no-sync', '-E', 'UTF8']);
  execFileSync(initFile, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [file, args] = asPostgresUser(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']);
  const child: ChildProcess = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => { log += c.toString(); });
  const admin = `postgres://sigil@127.0.0.1:${port}/postgres`;
  await waitReady(admin, () => log);
  return {
    port,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`CREATE DATABASE "${name}"`);
      await c.end();
      return `postgres://sigil@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      // signal the postmaster itself: runuser does not pass SIGINT (fast shutdown) on to it
      const pidFile = join(data, 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid > 0) process.kill(pid, 'SIGINT');
      else child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(connectionString: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({ connectionString });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgresql did not start: ${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
