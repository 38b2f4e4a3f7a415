export * from './types.ts';
export * from './respond.ts';
export * from './serve.ts';
