/** Flag parsers shared by `sigil scan fs` and `sigil scan repo`. */
import { UsageError } from '../../core/index.ts';
import { FINDING_KINDS, type FindingKind } from '../../scan/index.ts';

const FORMATS = ['pretty', 'json', 'csv', 'sarif'] as const;
/** Output formats of the scanner. */
export type ScanFormat = (typeof FORMATS)[number];

/** Parses --output. @throws ERR_USAGE */
export function parseFormat(value: string): ScanFormat {
  const format = FORMATS.find((f) => f === value);
  if (!format) throw new UsageError('ERR_USAGE', `--output must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  return format;
}

/** Parses --concurrency (1 to 256). @throws ERR_USAGE */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError('ERR_USAGE', `--concurrency must be an integer from 1 to 256, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses --fail-on (comma-separated finding kinds). @throws ERR_USAGE */
export function parseFailOn(value: string | undefined): readonly FindingKind[] {
  if (value === undefined) return [];
  return value.split(',').map((v) => {
    const kind = FINDING_KINDS.find((k) => k === v.trim());
    if (!kind) throw new UsageError('ERR_USAGE', `--fail-on takes ${FINDING_KINDS.join(', ')} (comma-separated), got ${JSON.stringify(v)}`);
    return kind;
  });
}
