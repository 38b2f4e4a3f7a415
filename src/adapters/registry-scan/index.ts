export { createRegistrySource } from './source.ts';
export { createBufferedFetch, type BufferedFetchOptions } from './buffered-fetch.ts';
