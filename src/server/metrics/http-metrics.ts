/**
 * Request counts and durations by service, bumped once per answered request. Label values come
 * from small fixed sets (the service a route belongs to, a known method, the status code), never
 * from a path, repository name or digest, so the number of series stays bounded.
 */
import type { RequestObserver, Route } from '../../http/index.ts';
import { createCounter, createHistogram, type CounterCell, type HistogramCell } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

/** The `service` label values. */
export const SERVICE_LABELS = ['registry', 'log', 'ca', 'oidc', 'ct', 'other'] as const;

/** The service label of a route (a value of SERVICE_LABELS). */
export type ServiceLabel = (typeof SERVICE_LABELS)[number];

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];

/** Request durations, seconds: a manifest GET takes about 100 µs, a large blob seconds. */
export const DURATION_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Slot {
  readonly service: string;
  readonly duration: HistogramCell;
  /** by method index · 1000 + status */
  readonly counts: Map<number, CounterCell>;
}

/**
 * Registers sigil_http_requests_total and sigil_http_request_duration_seconds and returns the
 * observer that feeds them; `serviceOf` names each route's service (routes it lacks are `other`,
 * as are unmatched paths, /healthz and /metrics).
 */
export function createHttpMetrics(registry: MetricsRegistry, serviceOf: ReadonlyMap<Route, ServiceLabel>): RequestObserver {
  const requests = createCounter('sigil_http_requests_total', 'HTTP requests answered, by service, method and status code.', ['service', 'method', 'code']);
  const duration = createHistogram('sigil_http_request_duration_seconds', 'Time from a request\'s arrival until its answer was sent, by service.', DURATION_BUCKETS_SECONDS, ['service']);
  registry.add(requests);
  registry.add(duration);
  const slots = new Map<Route | undefined, Slot>();
  const slotOf = (route: Route | undefined): Slot => {
    let slot = slots.get(route);
    if (slot === undefined) {
      const service = (route === undefined ? undefined : serviceOf.get(route)) ?? 'other';
      slot = { service, duration: duration.cell(service), counts: new Map() };
      slots.set(route, slot);
    }
    return slot;
  };
  return {
    now: () => performance.now() / 1000,
    answered(route, method, status, startedSeconds) {
      const slot = slotOf(route);
      const m = METHODS.indexOf(method);
      const key = (m + 1) * 1000 + status;
      let cell = slot.counts.get(key);
      if (cell === undefined) {
        cell = requests.cell(slot.service, m < 0 ? 'other' : method, String(status));
        slot.counts.set(key, cell);
      }
      cell.value += 1;
      duration.observe(slot.duration, performance.now() / 1000 - startedSeconds);
    },
  };
}
