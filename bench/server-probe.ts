// Measuring a running `sigil server` child from outside: the CPU time its process has used, and
// the latency of one GET over a keep-alive agent. Shared by the log, log-scale and CA benchmarks.
import { readFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';

/** CPU seconds (user + system, all threads) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number {
  try {
    // fields after the command name: state is field 3, utime 14, stime 15 (clock ticks, 100 per second here)
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Milliseconds one GET of `url` took to answer in full; rejects on anything but a 200. */
export function getOnce(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`GET answered ${res.statusCode}`))));
    }).on('error', reject).end();
  });
}
