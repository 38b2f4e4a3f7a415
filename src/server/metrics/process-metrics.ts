/**
 * The process's own metrics under the names prom-client's default metrics use (process_*,
 * nodejs_*), read at scrape time, plus the event-loop delay (Node's monitorEventLoopDelay).
 * prom-client's collectDefaultMetrics is not used: it loads @opentelemetry/api and more, about
 * 7 MiB of resident memory in a registry server that runs in about 25. Nor is its GC histogram
 * (nodejs_gc_duration_seconds): a PerformanceObserver on 'gc' entries cost a registry server
 * under load several percent of CPU per manifest GET and 7 MiB of private memory (docs/metrics.md),
 * as its 1 MiB young generation is scavenged very often.
 */
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createReadCounter } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

/** Running process metrics (an event-loop delay monitor). */
export interface ProcessMetrics {
  stop(): void;
}

/** Registers the process metrics. */
export function startProcessMetrics(registry: MetricsRegistry): ProcessMetrics {
  const cpu = (): NodeJS.CpuUsage => process.cpuUsage();
  registry.add(createReadCounter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', () => cpu().user / 1e6));
  registry.add(createReadCounter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', () => cpu().system / 1e6));
  registry.add(createReadCounter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', () => { const c = cpu(); return (c.user + c.system) / 1e6; }));
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  registry.gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', () => startSeconds);
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  registry.gauge('process_open_fds', 'Number of open file descriptors.', () => readdirSync('/proc/self/fd').length - 1);
  registry.gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', () => process.memoryUsage().heapTotal);
  registry.gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', () => process.memoryUsage().heapUsed);
  registry.gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', () => process.memoryUsage().external);
  // sampled every 10 ms by a libuv timer, as prom-client does; each scrape reads the delays
  // recorded since the previous one, then starts afresh
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lagSeconds = { mean: 0, p50: 0, p99: 0, max: 0 };
  registry.onScrape(() => {
    const s = (ns: number): number => (delay.count === 0 ? 0 : ns / 1e9);
    lagSeconds = { mean: s(delay.mean), p50: s(delay.percentile(50)), p99: s(delay.percentile(99)), max: s(delay.max) };
    delay.reset();
  });
  registry.gauge('nodejs_eventloop_lag_mean_seconds', 'The mean of the event loop delays recorded since the last scrape.', () => lagSeconds.mean);
  registry.gauge('nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the event loop delays recorded since the last scrape.', () => lagSeconds.p50);
  registry.gauge('nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the event loop delays recorded since the last scrape.', () => lagSeconds.p99);
  registry.gauge('nodejs_eventloop_lag_max_seconds', 'The largest event loop delay recorded since the last scrape.', () => lagSeconds.max);
  return { stop: () => delay.disable() };
}
