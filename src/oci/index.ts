export * from './media-types.ts';
export * from './names.ts';
export * from './manifest.ts';
