// A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a
// HELP, a TYPE, a blank line or a sample; each sample belongs to a family declared by a TYPE line
// before it; names, label names, escapes and values follow the format; no series repeats; a
// histogram's buckets are cumulative, end with +Inf and equal its _count.
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format)

/** One sample line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: its TYPE, HELP and samples. */
export interface Family {
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return Number(text);
}

// label set `{a="x",b="y\"z"}`: escapes are \\, \" and \n only
function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq);
    if (eq < 0 || !LABEL.test(name) || text[eq + 1] !== '"') throw new Error(`bad label in ${JSON.stringify(line)}`);
    if (name in labels) throw new Error(`label ${name} twice in ${JSON.stringify(line)}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] !== '\\') { value += text[j]; continue; }
      const next = text[++j];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else throw new Error(`bad escape in ${JSON.stringify(line)}`);
    }
    if (j >= text.length) throw new Error(`unterminated label value in ${JSON.stringify(line)}`);
    labels[name] = value;
    i = j + 1;
    if (i < text.length && text[i++] !== ',') throw new Error(`bad label separator in ${JSON.stringify(line)}`);
  }
  return labels;
}

function familyOf(families: Map<string, Family>, name: string): Family | undefined {
  for (const suffix of ['', '_bucket', '_sum', '_count']) {
    if (suffix !== '' && !name.endsWith(suffix)) continue;
    const family = families.get(name.slice(0, name.length - suffix.length));
    if (family !== undefined && (suffix === '' || family.type === 'histogram' || family.type === 'summary')) return family;
  }
  return undefined;
}

/** Parses an exposition, throwing on the first deviation from the format. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  const series = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name = '', rest = ''] = meta;
      if (!NAME.test(name)) throw new Error(`bad metric name in ${JSON.stringify(line)}`);
      if (kind === 'HELP') helps.set(name, rest);
      else {
        if (!TYPES.has(rest) || families.has(name)) throw new Error(`bad or repeated TYPE ${JSON.stringify(line)}`);
        families.set(name, { type: rest as Family['type'], help: helps.get(name) ?? '', samples: [] });
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`bad sample line ${JSON.stringify(line)}`);
    const [, name = '', labelText = '', valueText = ''] = m;
    const family = familyOf(families, name);
    if (family === undefined) throw new Error(`sample ${name} has no TYPE before it`);
    const key = `${name}{${labelText}}`;
    if (series.has(key)) throw new Error(`series ${key} repeated`);
    series.add(key);
    family.samples.push({ name, labels: parseLabels(labelText, line), value: parseValue(valueText, line) });
  }
  for (const [name, family] of families) if (family.type === 'histogram') checkHistogram(name, family);
  return families;
}

function checkHistogram(name: string, family: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const samples of groups.values()) {
    const buckets = samples.filter((s) => s.name === `${name}_bucket`);
    const count = samples.find((s) => s.name === `${name}_count`)?.value;
    if (buckets.at(-1)?.labels['le'] !== '+Inf' || count === undefined || buckets.at(-1)?.value !== count) throw new Error(`${name}: +Inf bucket missing or not equal to _count`);
    for (let i = 1; i < buckets.length; i++) {
      const [a, b] = [buckets[i - 1] as Sample, buckets[i] as Sample];
      if (b.value < a.value || parseValue(b.labels['le'] ?? '', name) <= parseValue(a.labels['le'] ?? '', name)) throw new Error(`${name}: buckets not cumulative in ascending le`);
    }
    if (samples.find((s) => s.name === `${name}_sum`) === undefined) throw new Error(`${name}: _sum missing`);
  }
}

/** The value of the sample `name` with exactly `labels` (0 when absent: a counter not yet bumped). */
export function sampleValue(families: ReadonlyMap<string, Family>, name: string, labels: Readonly<Record<string, string>> = {}): number {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      const keys = Object.keys(s.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => s.labels[k] === labels[k])) return s.value;
    }
  }
  return 0;
}
