export * from './ports.ts';
export * from './encrypted-key.ts';
export * from './key-file.ts';
export * from './key-signer.ts';
