export * from './ports.ts';
export * from './encrypted-key.ts';
export * from './key-file.ts';
export * from './key-signer.ts';
export * from './identity-token.ts';
export * from './keyless-signer.ts';
export * from './signing-config.ts';
