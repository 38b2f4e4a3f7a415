export * from './types.ts';
export * from './ports.ts';
export * from './deps.ts';
export * from './routes.ts';
export * from './gc.ts';
export * from './lru.ts';
export * from './pagination.ts';
export * from './ranges.ts';
