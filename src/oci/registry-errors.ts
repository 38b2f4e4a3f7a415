/**
 * The distribution-spec error body `{"errors":[{"code","message","detail"}]}` a registry
 * answers with; read only to put the registry's own words into sigil's messages.
 */

/** One registry error entry. */
export interface RegistryErrorEntry {
  readonly code: string;
  readonly message: string;
}

/** Parses an error body; anything malformed yields an empty list (it only decorates messages). */
export function parseRegistryErrors(text: string): readonly RegistryErrorEntry[] {
  let body: unknown;
  try { body = JSON.parse(text); } catch { return []; }
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as Record<string, unknown>)['errors'];
  if (!Array.isArray(errors)) return [];
  const out: RegistryErrorEntry[] = [];
  for (const e of errors.slice(0, 10)) {
    if (typeof e !== 'object' || e === null) continue;
    const { code, message } = e as Record<string, unknown>;
    out.push({ code: typeof code === 'string' ? code.slice(0, 100) : '', message: typeof message === 'string' ? message.slice(0, 300) : '' });
  }
  return out;
}

/** `CODE: message; CODE: message`, or '' for none. */
export function formatRegistryErrors(errors: readonly RegistryErrorEntry[]): string {
  return errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean).join('; ');
}
