// Starts `bin/sigil server` as a real child process on an ephemeral loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './peers.ts';

/** A running sigil server process. */
export interface SigilServerProcess {
  readonly url: string;
  /** host:port, as used in image references */
  readonly host: string;
  readonly child: ChildProcess;
  /** stderr captured so far */
  stderr(): string;
  /** SIGTERM and wait; resolves to the exit code */
  stop(): Promise<number | null>;
  /** SIGKILL and wait */
  kill(): Promise<void>;
}

/** Spawns `sigil server --addr 127.0.0.1:0 --data DIR ...extra` and waits for its listening line. */
export function startSigilServer(dataDir: string, extraArgs: readonly string[] = [], timeoutMs = 20_000): Promise<SigilServerProcess> {
  const child = spawn(join(PROJECT_ROOT, 'bin', 'sigil'), ['server', '--addr', '127.0.0.1:0', '--data', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); rejectStart(new Error(`sigil server did not start in ${timeoutMs} ms: ${err}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); rejectStart(new Error(`sigil server exited with ${code} before listening: ${err}`)); });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /sigil server listening on (http:\/\/([^\s]+))/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1] ?? '';
      resolveStart({
        url, host: m[2] ?? '', child,
        stderr: () => err,
        stop: async () => { child.kill('SIGTERM'); return exited; },
        kill: async () => { child.kill('SIGKILL'); await exited; },
      });
    });
  });
}
