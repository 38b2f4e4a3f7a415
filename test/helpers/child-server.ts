// `bin/sigil server` as a child process, for the tests that need real signals (SIGKILL, SIGTERM).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A spawned server. */
export interface ChildServer {
  readonly child: ChildProcess;
  readonly url: string;
  /** resolves with the exit code (or the signal name) */
  readonly exited: Promise<number | string>;
}

const SIGIL = fileURLToPath(new URL('../../bin/sigil', import.meta.url));

/** Spawns `bin/sigil server` on 127.0.0.1:0 over `dataDir` and waits for its ready line. */
export async function spawnServer(dataDir: string): Promise<ChildServer> {
  const child = spawn(SIGIL, ['server', '--addr', '127.0.0.1:0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 10_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m?.[1]) { clearTimeout(timer); resolve(m[1]); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
  return { child, url, exited };
}
