// `npm run bench [-- NAME...] [--seconds N]`: runs benchmarks that put sigil and a peer on the same
// work in the same run, prints the results, and rewrites each one's section of docs/benchmarks.md.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { runRegistryBench } from './registry.ts';
import { runVerifyBench } from './verify.ts';
import { runLogBench } from './log.ts';
import { runKeylessBench } from './keyless.ts';
import { runKeylessSignBench } from './keyless-sign.ts';
import { runCaBench } from './ca.ts';
import { runScanBench } from './scan.ts';
import { runLogScaleBench } from './log-scale.ts';
import { runMetricsBench } from './metrics.ts';

const BENCHES: Record<string, (seconds: number) => Promise<string>> = {
  registry: runRegistryBench,
  verify: runVerifyBench,
  log: runLogBench,
  keyless: runKeylessBench,
  'keyless-sign': runKeylessSignBench,
  ca: runCaBench,
  scan: runScanBench,
  'log-scale': runLogScaleBench,
  metrics: runMetricsBench,
};

function parseArgs(argv: readonly string[]): { names: string[]; seconds: number } {
  const names: string[] = [];
  let seconds = 10;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] ?? '';
    if (a === '--seconds') { seconds = Number(argv[i + 1]); i += 1; continue; }
    if (!(a in BENCHES)) throw new Error(`unknown benchmark ${a}; known: ${Object.keys(BENCHES).join(', ')}`);
    names.push(a);
  }
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');
  return { names: names.length > 0 ? names : Object.keys(BENCHES), seconds };
}

async function updateDoc(name: string, body: string): Promise<void> {
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  const text = await readFile(file, 'utf8');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const machine = `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
  const section = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${body}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n## ${name}\n\n${section}\n`;
  await writeFile(file, next);
}

const { names, seconds } = parseArgs(process.argv.slice(2));
for (const name of names) {
  process.stdout.write(`bench ${name}: running (${seconds} s per load phase)\n`);
  const body = await BENCHES[name]!(seconds);
  process.stdout.write(`${body}\n`);
  await updateDoc(name, body);
}
