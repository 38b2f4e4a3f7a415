/** Flag value parsers shared by commands (cosign's `-a key=value` and `--flag=false` forms). */
import { UsageError } from '../../core/errors.ts';

/**
 * Commander collector for repeatable `-a key=value` (split at the first `=`).
 * @throws ERR_USAGE for a value without `=`
 */
export function collectAnnotation(value: string, previous: Readonly<Record<string, string>>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError('ERR_USAGE', `unable to parse annotation: ${value}`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/**
 * Parses a boolean flag value as cosign accepts it (`--upload=false`).
 * @throws ERR_USAGE for anything but true/false/1/0
 */
export function parseBooleanFlag(flag: string, value: string | boolean | undefined): boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  const v = value.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UsageError('ERR_USAGE', `${flag} must be true or false, got ${JSON.stringify(value)}`);
}
