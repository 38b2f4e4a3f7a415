/**
 * The listen address of `sigil server`: `host:port`, `[v6]:port` or `:port`.
 */
import { UsageError } from '../core/index.ts';

/** A parsed listen address. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `--addr`; port 0 picks a free port.
 * @throws ERR_USAGE
 */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError('ERR_USAGE', `invalid --addr ${JSON.stringify(text)}: want host:port, e.g. 127.0.0.1:8080`);
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '0.0.0.0' : m[2]);
  return { host, port };
}

/** The http URL of a bound address. */
export function formatHttpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
