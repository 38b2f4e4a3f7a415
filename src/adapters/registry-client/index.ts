export * from './types.ts';
export * from './client.ts';
export * from './copy.ts';
export * from './docker-credentials.ts';
export type { RepositoryRef } from './scopes.ts';
export type { BlobTarget } from './blobs.ts';
export type { BlobSource, PushBlobOptions } from './upload.ts';
export { DEFAULT_CHUNK_SIZE_BYTES } from './upload.ts';
export type { ReferrersResult } from './listing.ts';
