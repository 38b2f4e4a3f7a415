export * from './ports.ts';
export * from './routes.ts';
export * from './grants.ts';
export * from './signer.ts';
export * from './access-secret.ts';
export * from './identity-request.ts';
export * from './claims.ts';
export * from './discovery.ts';
