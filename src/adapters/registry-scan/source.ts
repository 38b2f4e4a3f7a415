/**
 * The registry scanner's source over the OCI registry client: catalog and tags paginated, HEAD to
 * resolve tags, and referrers through the API, learning once per registry when it has none so
 * that afterwards only images whose `sha256-<hex>` fallback tag exists cost a request.
 */
import { InputError, collectBytes } from '../../core/index.ts';
import type { RegistryClient } from '../registry-client/index.ts';
import type { ReferrerRef, RegistrySource } from '../../scan/ports.ts';

/** Page size asked of the catalog and tag list endpoints (registries may send fewer). */
const PAGE_SIZE = 1000;

/** Creates the scanner's view of `registry` through `client`. */
export function createRegistrySource(client: RegistryClient, registry: string): RegistrySource {
  let hasReferrersApi: boolean | undefined;
  const repo = (repository: string) => ({ registry, repository });
  return {
    listRepositories: () => client.listCatalog(registry, PAGE_SIZE),
    listTags: (repository) => client.listTags(repo(repository), PAGE_SIZE),
    getManifest: async (repository, reference) => {
      const m = await client.getManifest(repo(repository), reference);
      return { bytes: m.bytes, mediaType: m.mediaType, digest: m.digest, manifest: m.manifest };
    },
    async listReferrers(repository, digest, hasFallbackTag) {
      if (hasReferrersApi === false && !hasFallbackTag) return { referrers: [], source: 'tag-schema' };
      const listed = await client.listReferrers(repo(repository), digest);
      hasReferrersApi = listed.source === 'api';
      const referrers = listed.manifests.map((d): ReferrerRef => ({
        digest: d.digest, mediaType: d.mediaType,
        ...(d.artifactType === undefined ? {} : { artifactType: d.artifactType }),
        ...(d.annotations === undefined ? {} : { annotations: d.annotations }),
      }));
      return { referrers, source: listed.source };
    },
    async getBlob(repository, digest, maxBytes) {
      const blob = await client.getBlob(repo(repository), { digest });
      if (blob.sizeBytes > maxBytes) {
        for await (const _ of blob.body) break; // ends the stream and releases the connection
        throw new InputError('ERR_SCAN_ENVELOPE_MALFORMED', `signature blob ${digest} is ${blob.sizeBytes} bytes, more than ${maxBytes}`);
      }
      return collectBytes(blob.body, maxBytes, (n) => new InputError('ERR_SCAN_ENVELOPE_MALFORMED', `signature blob ${digest} is larger than ${n} bytes`));
    },
  };
}
