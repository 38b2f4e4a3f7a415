// The certificate authority: Fulcio's certificate profile, requests, proof of possession, API. No I/O.
export * from './ports.ts';
export * from './signing-ports.ts';
export * from './authority.ts';
export * from './issue.ts';
export * from './profile.ts';
export * from './service.ts';
export * from './routes.ts';
export type { ConfigurationIssuer } from './configuration.ts';
export * from './rate-limit.ts';
export { parseCsrPem } from './csr.ts';
export { parseRequestedKey, verifyProofOfPossession, type RequestedKey } from './public-key.ts';
