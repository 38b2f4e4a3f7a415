// Finds the interop peers (skopeo, oras, cosign) that scripts/install-peers.sh puts under
// .tools/peers/bin, else on PATH. A missing peer fails the test that needs it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The path of a peer program. */
export function findPeer(name: string): string {
  const dirs = [join(root, '.tools', 'peers', 'bin'), ...(process.env['PATH'] ?? '').split(delimiter)];
  for (const dir of dirs) if (dir && existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`interop peer ${name} is not installed: run scripts/setup.sh`);
}

/** Runs a peer and resolves to its stdout bytes; rejects with its stderr on failure. */
export function runPeer(name: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    execFile(findPeer(name), [...args], { encoding: 'buffer', maxBuffer: 64 << 20, env: { ...process.env, HOME: process.env['HOME'] ?? '/tmp' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} ${args.join(' ')} failed: ${stderr.toString()}`, { cause: error }));
      else resolvePromise(stdout);
    });
  });
}
