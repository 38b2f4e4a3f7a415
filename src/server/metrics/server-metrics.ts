/**
 * The metrics of one `sigil server`: the registry every service adds to, the process metrics,
 * the HTTP observer, and the GET /metrics route (Prometheus text format 0.0.4).
 */
import type { RequestObserver, Route } from '../../http/index.ts';
import type { Service } from '../service.ts';
import { createHttpMetrics, SERVICE_LABELS, type ServiceLabel } from './http-metrics.ts';
import { startProcessMetrics } from './process-metrics.ts';
import { createMetricsRegistry, PROMETHEUS_CONTENT_TYPE, type MetricsRegistry } from './prom.ts';

/** A server's metrics. */
export interface ServerMetrics {
  readonly registry: MetricsRegistry;
  readonly observer: RequestObserver;
  /** GET (and HEAD) /metrics */
  readonly route: Route;
  /** Names the `service` label of every route of the started services. */
  labelRoutes(services: readonly Service[]): void;
  stop(): void;
}

function isServiceLabel(name: string): name is ServiceLabel {
  return (SERVICE_LABELS as readonly string[]).includes(name);
}

/** Creates the registry with the process and HTTP metrics. */
export function startServerMetrics(): ServerMetrics {
  const registry = createMetricsRegistry();
  const serviceOf = new Map<Route, ServiceLabel>();
  const observer = createHttpMetrics(registry, serviceOf);
  const process = startProcessMetrics(registry);
  const route: Route = {
    methods: ['GET', 'HEAD'],
    pattern: /^\/metrics$/,
    dialect: 'plain',
    handle: async () => ({ status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE }, body: await registry.expose() }),
  };
  return {
    registry, observer, route,
    labelRoutes(services) {
      for (const s of services) {
        const label = isServiceLabel(s.name) ? s.name : 'other';
        for (const r of s.routes) serviceOf.set(r, s.routeLabels?.get(r) ?? label);
      }
    },
    stop: () => process.stop(),
  };
}
