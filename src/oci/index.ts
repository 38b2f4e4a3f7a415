export * from './media-types.ts';
export * from './names.ts';
export * from './manifest.ts';
export * from './go-json.ts';
export * from './simple-signing.ts';
export * from './signature-image.ts';
