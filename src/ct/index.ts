// The Certificate Transparency log (RFC 6962): submissions, SCTs, the tree, its HTTP API. No I/O.
export * from './ports.ts';
export * from './log.ts';
export * from './routes.ts';
export { logIdOf } from './signing.ts';
