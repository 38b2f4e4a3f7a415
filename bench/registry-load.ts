// A small closed-loop load generator for registry endpoints: `concurrency` keep-alive clients
// repeat one request for `seconds` and the script prints requests per second.
// usage: node bench/registry-load.ts <url> [GET|HEAD] [concurrency=32] [seconds=5]
import { Agent, request } from 'node:http';

const [url = '', method = 'GET', concurrencyText = '32', secondsText = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(secondsText) * 1000;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const accept = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';

function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { accept } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function worker(deadline: number, counts: { ok: number; bad: number }): Promise<void> {
  while (performance.now() < deadline) {
    if ((await once()) < 300) counts.ok += 1;
    else counts.bad += 1;
  }
}

const counts = { ok: 0, bad: 0 };
const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => worker(start + durationMs, counts)));
const seconds = (performance.now() - start) / 1000;
process.stdout.write(`${method} ${url}: ${(counts.ok / seconds).toFixed(0)} req/s ok, ${counts.bad} non-2xx, ${concurrency} clients, ${seconds.toFixed(1)} s\n`);
agent.destroy();
