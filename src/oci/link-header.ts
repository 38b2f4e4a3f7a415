/**
 * The RFC 8288 `Link` header registries use to paginate tag and catalog listings
 * (distribution-spec "Listing Tags": `Link: <url>; rel="next"`).
 */

/** The target of the `rel="next"` link, as written (may be relative); undefined when absent. */
export function parseLinkNext(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const params = m[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (values.includes('next')) return m[1];
  }
  return undefined;
}
