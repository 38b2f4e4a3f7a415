export { createRegistrySource } from './source.ts';
