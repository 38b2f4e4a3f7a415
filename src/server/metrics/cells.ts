/**
 * Counters and histograms as plain numbers the hot paths bump (a property increment, a short
 * bucket search), formatted by prom-client's Registry at scrape time (prom.ts).
 */
import type { ExposedMetric, ExposedValues } from './prom.ts';

/** One counter value for one label set. */
export interface CounterCell {
  value: number;
}

/** One histogram for one label set: per-bucket (not cumulative) counts, sum and count. */
export interface HistogramCell {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A counter metric; `cell(...)` is the one for the given label values (create once, keep it). */
export interface CounterMetric extends ExposedMetric {
  cell(...labelValues: string[]): CounterCell;
}

/** A histogram metric. */
export interface HistogramMetric extends ExposedMetric {
  cell(...labelValues: string[]): HistogramCell;
  /** Records `value` into `cell`. */
  observe(cell: HistogramCell, value: number): void;
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  if (values.length !== names.length) throw new TypeError(`want ${names.length} label values, got ${values.length}`);
  const labels: Record<string, string> = {};
  names.forEach((n, i) => { labels[n] = values[i] as string; });
  return labels;
}

/** Creates a counter; without labels it is exposed at 0 before its first increment. */
export function createCounter(name: string, help: string, labelNames: readonly string[] = []): CounterMetric {
  const cells = new Map<string, { labels: Record<string, string>; cell: CounterCell }>();
  const cell = (...values: string[]): CounterCell => {
    const key = values.join('\u0000');
    let entry = cells.get(key);
    if (entry === undefined) {
      entry = { labels: labelsOf(labelNames, values), cell: { value: 0 } };
      cells.set(key, entry);
    }
    return entry.cell;
  };
  if (labelNames.length === 0) cell();
  return {
    name, help, type: 'counter', cell,
    getForPromString: async (): Promise<ExposedValues> => ({
      name, help, type: 'counter', aggregator: 'sum',
      values: [...cells.values()].map((e) => ({ labels: e.labels, value: e.cell.value })),
    }),
  };
}

/** Creates a histogram over ascending `buckets` (upper bounds; +Inf is added). */
export function createHistogram(name: string, help: string, buckets: readonly number[], labelNames: readonly string[] = []): HistogramMetric {
  const bounds = Float64Array.from(buckets);
  const cells = new Map<string, { labels: Record<string, string>; cell: HistogramCell }>();
  const cell = (...values: string[]): HistogramCell => {
    const key = values.join('\u0000');
    let entry = cells.get(key);
    if (entry === undefined) {
      entry = { labels: labelsOf(labelNames, values), cell: { counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 } };
      cells.set(key, entry);
    }
    return entry.cell;
  };
  if (labelNames.length === 0) cell();
  return {
    name, help, type: 'histogram', cell,
    observe(c, value) {
      let i = 0;
      while (i < bounds.length && value > (bounds[i] as number)) i++;
      c.counts[i] = (c.counts[i] as number) + 1;
      c.sum += value;
      c.count += 1;
    },
    getForPromString: async (): Promise<ExposedValues> => ({
      name, help, type: 'histogram', aggregator: 'sum',
      values: [...cells.values()].flatMap((e) => histogramRows(name, bounds, e.labels, e.cell)),
    }),
  };
}

// the exposition's cumulative buckets, `le` first as prom-client writes it, then _sum and _count
function histogramRows(name: string, bounds: Float64Array, labels: Record<string, string>, c: HistogramCell): ExposedValues['values'] {
  const rows: { labels: Record<string, string>; value: number; metricName: string }[] = [];
  let total = 0;
  for (let i = 0; i <= bounds.length; i++) {
    total += c.counts[i] as number;
    rows.push({ labels: { le: i < bounds.length ? String(bounds[i]) : '+Inf', ...labels }, value: total, metricName: `${name}_bucket` });
  }
  rows.push({ labels, value: c.sum, metricName: `${name}_sum` }, { labels, value: c.count, metricName: `${name}_count` });
  return rows;
}

/** A counter whose value `read` gives at scrape time (e.g. the process's CPU seconds). */
export function createReadCounter(name: string, help: string, read: () => number): ExposedMetric {
  return {
    name, help, type: 'counter',
    getForPromString: async (): Promise<ExposedValues> => ({ name, help, type: 'counter', aggregator: 'sum', values: [{ labels: {}, value: read() }] }),
  };
}
