// Offline verification: cosign signatures in registries, Rekor v1 entries, and Sigstore bundles
// against a trust root. Pure: no I/O, the clock is injected.
export * from './cosign-bundle.ts';
export * from './cosign-signatures.ts';
export * from './tlog.ts';
export * from './trust-root.ts';
export * from './builtin-trust.ts';
export * from './bundle-verifier.ts';
export * from './policy.ts';
export { parseCertificate, type X509Certificate } from './certificate.ts';
export * from './cosign-keyless.ts';
export * from './image-bundle.ts';
export * from './batch.ts';
