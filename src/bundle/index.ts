export * from './rekor-v1.ts';
export * from './types.ts';
export * from './parse.ts';
export * from './hashedrekord.ts';
export * from './cosign-blob-bundle.ts';
export * from './serialize.ts';
export * from './dsse-sign.ts';
export * from './intoto-proposal.ts';
