export { createTokenVerifier, DEFAULT_TOKEN_ALGORITHMS, type TokenVerifierOptions } from './token-verifier.ts';
export { createKeySetCache, type KeySetCache, type KeySetCacheOptions, type JwksDocument } from './key-sets.ts';
export { basicAuthorization, discoverIssuer, idTokenOf, postForm, type IssuerClientOptions, type IssuerEndpoints } from './issuer-client.ts';
export { loginWithBrowser, loginWithDevice, type LoginOptions } from './login.ts';
export { startLoopbackListener, type LoopbackListener } from './loopback.ts';
