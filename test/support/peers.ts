// Locates the real interop peers (cosign, skopeo, rekor-cli, oras, podman, docker-registry) and runs them.
// A missing peer fails the test with a pointer to scripts/setup.sh: interop tests are never skipped.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEERS_BIN = process.env['SIGIL_PEERS_BIN'] ?? join(PROJECT_ROOT, '.tools', 'peers', 'bin');
const SYSTEM_PEERS = new Set(['docker-registry', 'podman', 'umoci', 'jq', 'wrk', 'ab', 'openssl']);

/** The path of a peer program; throws when it is not installed. */
export function peerPath(name: string): string {
  const candidates = SYSTEM_PEERS.has(name) ? [`/usr/bin/${name}`, `/usr/sbin/${name}`] : [join(PEERS_BIN, name)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`interop peer ${name} is not installed: run scripts/setup.sh (looked in ${candidates.join(', ')})`);
}

/** Result of running a program. */
export interface RunResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs a program to completion with a timeout; never throws on a non-zero exit. */
export function runProgram(file: string, args: readonly string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = execFile(file, [...args], {
      env: { ...process.env, ...(options.env ?? {}) },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 * 1024 * 1024,
      cwd: options.cwd ?? PROJECT_ROOT,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolveRun({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a peer by name. */
export function runPeer(name: string, args: readonly string[], options: Parameters<typeof runProgram>[2] = {}): Promise<RunResult> {
  return runProgram(peerPath(name), args, options);
}

/** Runs the project's own executable, bin/sigil. */
export function runSigil(args: readonly string[], options: Parameters<typeof runProgram>[2] = {}): Promise<RunResult> {
  return runProgram(join(PROJECT_ROOT, 'bin', 'sigil'), args, options);
}

/** Runs a peer and resolves to its stdout bytes; rejects with its stderr when it exits non-zero. */
export function runPeerOk(name: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    execFile(peerPath(name), [...args], { encoding: 'buffer', maxBuffer: 64 << 20, env: { ...process.env, HOME: process.env['HOME'] ?? '/tmp' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} ${args.join(' ')} failed: ${stderr.toString()}`, { cause: error }));
      else resolvePromise(stdout);
    });
  });
}

/** Awaits a run and asserts it exited 0 (naming `what` and its output otherwise); resolves to stdout. */
export async function expectSuccess(p: Promise<RunResult>, what = 'command'): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what}: exit ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
