export * from './hasher.ts';
export * from './node-id.ts';
export * from './proof.ts';
export * from './verify.ts';
export * from './compact-range.ts';
