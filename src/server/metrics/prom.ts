/**
 * The two prom-client parts sigil uses: its Registry (the text exposition format 0.0.4: HELP and
 * TYPE lines, label escaping, value formatting) and its Gauge (values read at scrape time through
 * `collect`). Counters and histograms are sigil's own cells (cells.ts), registered into the same
 * Registry, because prom-client's own cost about 1 µs per request (label hashing on every
 * increment), 2% of a registry manifest GET. Imported module by module: prom-client's index also
 * loads its Pushgateway and cluster code (about 7 MiB of resident memory with the default metrics).
 */
import RegistryClass from 'prom-client/lib/registry.js';
import GaugeClass from 'prom-client/lib/gauge.js';
import type { Gauge, Metric, Registry } from 'prom-client';

/** The Prometheus text exposition content type, `text/plain; version=0.0.4; charset=utf-8`. */
export const PROMETHEUS_CONTENT_TYPE: string = RegistryClass.PROMETHEUS_CONTENT_TYPE;

/** A metric in the shape prom-client's Registry formats (its `getForPromString` answer). */
export interface ExposedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  getForPromString(): Promise<ExposedValues>;
}

/** One metric's rows: a sample per label set (histograms: `_bucket`, `_sum`, `_count` rows). */
export interface ExposedValues {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: 'sum';
  readonly values: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number; readonly metricName?: string }[];
}

/** The metrics of one server process and their exposition. */
export interface MetricsRegistry {
  /** Adds a cell metric (counter or histogram). */
  add(metric: ExposedMetric): void;
  /** Adds a gauge whose value `read` gives at each scrape (labels optional, one sample per entry). */
  gauge(name: string, help: string, read: () => number | Promise<number>): void;
  /** Adds a gauge with labels whose samples `read` gives at each scrape. */
  labelledGauge(name: string, help: string, labelNames: readonly string[], read: () => readonly GaugeSample[] | Promise<readonly GaugeSample[]>): void;
  /** The whole exposition text. */
  expose(): Promise<string>;
}

/** One labelled gauge sample. */
export interface GaugeSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Creates an empty registry. */
export function createMetricsRegistry(): MetricsRegistry {
  const registry: Registry = new RegistryClass();
  return {
    // prom-client's Registry formats any object with getForPromString (lib/registry.js
    // getMetricsAsString); its types name only its own classes, hence the cast
    add: (metric) => registry.registerMetric(metric as unknown as Metric),
    gauge(name, help, read) {
      new GaugeClass({
        name, help, registers: [registry],
        async collect(this: Gauge) { this.set(await read()); },
      });
    },
    labelledGauge(name, help, labelNames, read) {
      new GaugeClass({
        name, help, labelNames, registers: [registry],
        async collect(this: Gauge) {
          const samples = await read();
          this.reset();
          for (const s of samples) this.set(s.labels, s.value);
        },
      });
    },
    expose: () => registry.metrics(),
  };
}
