/**
 * The registry's metrics, gathered by wrapping its storage ports at the composition root: bytes
 * stream through BlobStore.open (sent) and UploadContent.append (received), ManifestStore.put
 * stores a pushed manifest. The registry's own code is unchanged and imports nothing of this.
 */
import type { RegistryStorage } from '../../registry/index.ts';
import { createCounter, type CounterCell } from './cells.ts';
import type { MetricsRegistry } from './prom.ts';

async function* counted(chunks: AsyncIterable<Uint8Array>, cell: CounterCell): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    cell.value += chunk.byteLength;
    yield chunk;
  }
}

/**
 * Registers the registry's metrics and returns `storage` with counting ports; `uploadsOpen`
 * counts the upload sessions open at scrape time.
 */
export function instrumentRegistryStorage<S extends RegistryStorage>(registry: MetricsRegistry, storage: S, uploadsOpen: () => Promise<number>): S {
  const received = createCounter('sigil_registry_blob_received_bytes_total', 'Blob bytes received in upload requests (POST, PATCH, PUT bodies).');
  const sent = createCounter('sigil_registry_blob_sent_bytes_total', 'Blob bytes sent in answers to blob GETs (whole or ranged).');
  const manifests = createCounter('sigil_registry_manifests_put_total', 'Manifests pushed and stored (by digest or by tag).');
  for (const m of [received, sent, manifests]) registry.add(m);
  registry.gauge('sigil_registry_uploads_in_progress', 'Blob upload sessions open (started, neither finished, cancelled nor collected).', uploadsOpen);
  const receivedCell = received.cell();
  const sentCell = sent.cell();
  const putCell = manifests.cell();
  const { blobs, content, manifests: store } = storage;
  return {
    ...storage,
    blobs: { ...blobs, stat: blobs.stat.bind(blobs), link: blobs.link.bind(blobs), unlink: blobs.unlink.bind(blobs), open: (digest, range) => counted(blobs.open(digest, range), sentCell) },
    content: {
      ...content,
      read: content.read.bind(content), commit: content.commit.bind(content),
      // chunksOwned passes through: the store frees owned chunks once written (issue 2's memory)
      append: (name, id, chunks, chunksOwned) => content.append(name, id, counted(chunks, receivedCell), chunksOwned),
    },
    manifests: {
      ...store,
      get: store.get.bind(store), delete: store.delete.bind(store), listReferrers: store.listReferrers.bind(store),
      async put(name, manifest, referrer) {
        await store.put(name, manifest, referrer);
        putCell.value += 1;
      },
    },
  };
}
