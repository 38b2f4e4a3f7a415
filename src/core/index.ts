export * from './errors.ts';
export * from './bytes.ts';
export * from './digest.ts';
export * from './crypto.ts';
export * from './clock.ts';
export * from './canonical-json.ts';
export * from './pem.ts';
export * from './digest-signature.ts';
