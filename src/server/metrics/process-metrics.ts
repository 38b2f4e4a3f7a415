/**
 * The process's own metrics under the names prom-client's default metrics use (process_*,
 * nodejs_*), all read at scrape time, so they cost the requests nothing.
 * prom-client's collectDefaultMetrics is not used: it loads @opentelemetry/api and more, about
 * 7 MiB of resident memory in a registry server that runs in about 25. Nor is its GC histogram
 * (nodejs_gc_duration_seconds): a PerformanceObserver on 'gc' entries cost a registry server
 * under load several percent of CPU per manifest GET and 7 MiB of private memory (docs/metrics.md),
 * as its 1 MiB young generation is scavenged very often.
 */
import { readdirSync } from 'node:fs';
import { createReadCounter } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

/** Running process metrics. */
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
  // measured at scrape time, as prom-client's nodejs_eventloop_lag_seconds is: how long a
  // setImmediate callback waits. Node's monitorEventLoopDelay would give percentiles, but with it
  // a registry server spent about 6% more CPU per manifest GET (docs/metrics.md)
  registry.gauge('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.', () => {
    const start = performance.now();
    return new Promise<number>((resolve) => setImmediate(() => resolve((performance.now() - start) / 1000)));
  });
  return { stop: () => undefined };
}
