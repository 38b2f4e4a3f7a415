/**
 * One consistent output switch: every command that prints takes `--output text|json`.
 */
import { UsageError } from '../core/errors.ts';
import type { TextSink } from './io.ts';

/** Output formats. */
export type OutputFormat = 'text' | 'json';

/**
 * Parses the --output flag value.
 * @throws ERR_USAGE for anything but text or json
 */
export function parseOutputFormat(value: unknown): OutputFormat {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError('ERR_USAGE', `--output must be text or json, got ${JSON.stringify(value)}`);
}

/** Writes one JSON document and a newline. */
export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}
