/**
 * `n`/`last` pagination of tag and catalog lists (distribution-spec "Listing Tags") and the
 * RFC 5988 `Link` header that points at the next page.
 */
import { InputError } from '../core/index.ts';

/** One page of a sorted list. */
export interface Page {
  readonly items: readonly string[];
  /** the `Link` header value when more items follow */
  readonly link?: string;
}

/** The largest page sigil hands out in one answer. */
export const MAX_PAGE_SIZE = 10_000;

/**
 * Parses the `n` query parameter: absent, or an integer 0..MAX_PAGE_SIZE (larger is clamped).
 * @throws ERR_OCI_PAGINATION_INVALID
 */
export function parsePageSize(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new InputError('ERR_OCI_PAGINATION_INVALID', `invalid page size n=${JSON.stringify(value.slice(0, 20))}: want a non-negative integer`);
  return Math.min(Number(value), MAX_PAGE_SIZE);
}

/** Cuts the page after `last` of at most `n` items from `sorted`; `path` is the list's URL path. */
export function paginate(sorted: readonly string[], path: string, n: number | undefined, last: string | null): Page {
  let start = 0;
  if (last !== null && last !== '') {
    start = sorted.findIndex((item) => item > last);
    if (start < 0) start = sorted.length;
  }
  if (n === undefined) return { items: sorted.slice(start) };
  const items = sorted.slice(start, start + n);
  const lastItem = items.at(-1);
  if (start + n >= sorted.length || lastItem === undefined) return { items };
  return { items, link: `<${path}?n=${n}&last=${encodeURIComponent(lastItem)}>; rel="next"` };
}
