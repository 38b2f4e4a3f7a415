export * from './rekor-v1.ts';
