// Runs the real tools the scanner's fixtures are made with (openssl, the JDK's keytool/jarsigner/jar,
// osslsigncode). A missing tool fails the test with a pointer to scripts/setup.sh: never a skip.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS: Readonly<Record<string, string>> = {
  openssl: 'openssl', keytool: 'default-jdk-headless', jarsigner: 'default-jdk-headless',
  jar: 'default-jdk-headless', osslsigncode: 'osslsigncode',
};

/** The absolute path of a fixture tool; throws (failing the test) when it is not installed. */
export function toolPath(name: string): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/lib/jvm/default-java/bin']) {
    const p = `${dir}/${name}`;
    if (existsSync(p)) return p;
  }
  throw new Error(`fixture tool ${name} is not installed (Debian package ${TOOLS[name] ?? name}): run scripts/setup.sh`);
}

/** Runs a tool to completion; rejects with its stderr on a non-zero exit. */
export function runTool(name: string, args: readonly string[], options: { cwd?: string; input?: Uint8Array } = {}): Promise<Buffer> {
  const file = toolPath(name);
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { cwd: options.cwd, encoding: 'buffer', maxBuffer: 64 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} ${args.join(' ')} failed: ${String(stderr)}`, { cause: error }));
      else resolve(stdout);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
