export * from './address.ts';
export * from './service.ts';
export * from './services.ts';
export * from './start.ts';
export * from './registry-gc.ts';
