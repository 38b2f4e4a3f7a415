/** What every entry kind produces from a proposed entry. */

/** A proposed entry after validation and canonicalization. */
export interface CanonicalEntry {
  readonly kind: string;
  readonly apiVersion: string;
  /** the JCS bytes of `{"apiVersion","kind","spec"}`: the log leaf */
  readonly body: Uint8Array;
  /** lower-case index keys: `<alg>:<hex>` hashes, key fingerprints, certificate SANs */
  readonly searchKeys: readonly string[];
  /** false for the search-only forms (dsse without proposedContent, intoto without payload) */
  readonly insertable: boolean;
}
