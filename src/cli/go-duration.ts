/** Go's time.ParseDuration for cosign's duration flags (`-t 3m0s`, `--timeout 90s`, `1h30m`). */
import { UsageError } from '../core/index.ts';

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go duration ("300ms", "1.5h", "2h45m", "0") into milliseconds.
 * @throws ERR_USAGE naming `flag` for anything Go's parser would reject, or a negative duration
 */
export function parseGoDuration(flag: string, text: string): number {
  if (text === '0') return 0;
  const bad = (): UsageError => new UsageError('ERR_USAGE', `invalid argument ${JSON.stringify(text)} for "${flag}" flag: time: invalid duration ${JSON.stringify(text)}`);
  const body = text.startsWith('+') ? text.slice(1) : text;
  if (body.startsWith('-')) throw new UsageError('ERR_USAGE', `${flag} must not be negative, got ${JSON.stringify(text)}`);
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const match = part.exec(body);
    if (!match) throw bad();
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    at = part.lastIndex;
  }
  if (at === 0 || !Number.isFinite(total)) throw bad();
  return total;
}
