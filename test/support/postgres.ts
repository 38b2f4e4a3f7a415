// Starts a real PostgreSQL server (Debian's package) in a temporary folder on a loopback port,
// for the log's PostgreSQL tests. Fails, never skips, when PostgreSQL is not installed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './distribution.ts';

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

/** As root, run PostgreSQL as the postgres user (it refuses root); spawn switches ids itself, so signals reach it directly. */
function postgresIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** Initializes a cluster in a temp folder and starts it. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'sigil-pg-'));
  const ids = postgresIds();
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'sigil', '--no-sync', '-E', 'UTF8'], { stdio: 'pipe', cwd: dir, ...ids });
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'];
  const child: ChildProcess = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...ids });
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
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT'); // fast shutdown
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
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
