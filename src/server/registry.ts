/**
 * Composition root of the registry service: filesystem storage, optional htpasswd auth, routes.
 */
import { loadHtpasswd } from '../adapters/auth/htpasswd.ts';
import { listDir } from '../adapters/fs/fs-manifests.ts';
import { openFsRegistryStorage } from '../adapters/fs/fs-registry.ts';
import { createRegistryRoutes } from '../registry/index.ts';
import { instrumentRegistryStorage } from './metrics/registry-metrics.ts';
import type { Service, ServiceContext } from './service.ts';

/**
 * Creates the OCI registry service, storing under `<data>/registry`.
 * @throws ERR_REGISTRY_STORAGE, ERR_FILE_NOT_FOUND, ERR_CONFIG_INVALID
 */
export async function createRegistryService(ctx: ServiceContext): Promise<Service> {
  const opened = await openFsRegistryStorage(ctx.dataDir);
  const storage = ctx.metrics === undefined
    ? opened
    : instrumentRegistryStorage(ctx.metrics, opened, async () => (await listDir(opened.layout.uploads)).length);
  const authenticate = ctx.htpasswdPath === undefined ? undefined : await loadHtpasswd(ctx.htpasswdPath);
  const routes = createRegistryRoutes({
    blobs: storage.blobs,
    sessions: storage.sessions,
    content: storage.content,
    manifests: storage.manifests,
    tags: storage.tags,
    listRepositories: storage.listRepositories,
    clock: ctx.clock,
    random: ctx.random,
    ...(authenticate ? { authenticate } : {}),
  });
  return { name: 'registry', routes };
}
