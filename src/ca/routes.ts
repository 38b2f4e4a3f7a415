/**
 * Fulcio's HTTP API as plain route data (fulcio.proto via grpc-gateway, and fulcio_legacy.proto):
 * v2 signingCert, trustBundle and configuration; legacy v1 signingCert and rootCert. Errors go
 * out in grpc-gateway's status body through the 'fulcio' dialect.
 */
import { collectBytes, encodePem, InputError, isAppError, type HttpRequest, type HttpResponse, type Route } from '../core/index.ts';
import type { ConfigurationIssuer } from './configuration.ts';
import type { CaObserver } from './ports.ts';
import { parseV1Request, parseV2Request } from './request.ts';
import type { CaService } from './service.ts';

/** What the routes serve. */
export interface CaRouteOptions {
  readonly service: CaService;
  /** the issuers /api/v2/configuration lists */
  readonly issuers: () => readonly ConfigurationIssuer[];
  /** told of every refused signing request, whatever refused it (body, token, key, rate limit, CT) */
  readonly observer?: Pick<CaObserver, 'refused'>;
}

/** Requests are a key and a token: a few KiB. */
const MAX_BODY_BYTES = 1024 * 1024;
const PEM_CHAIN = 'application/pem-certificate-chain';

function json(value: unknown, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function readBody(req: HttpRequest): Promise<Uint8Array> {
  return collectBytes(req.body, MAX_BODY_BYTES, (n) => new InputError('ERR_HTTP_BODY_TOO_LARGE', `the request body is larger than the ${n} bytes the CA accepts`));
}

function pems(chain: readonly Uint8Array[]): string[] {
  return chain.map((der) => encodePem('CERTIFICATE', der));
}

type Handle = (req: HttpRequest) => Promise<HttpResponse>;

// a signing request's refusal is told to the observer with its code, then answered as usual
function observed(observer: CaRouteOptions['observer'], handle: Handle): Handle {
  if (observer === undefined) return handle;
  return async (req) => {
    try {
      return await handle(req);
    } catch (error) {
      observer.refused(isAppError(error) ? error.code : 'ERR_INTERNAL');
      throw error;
    }
  };
}

/** The CA's routes. */
export function createCaRoutes(opts: CaRouteOptions): Route[] {
  const route = (methods: string[], pattern: RegExp, handle: Handle): Route => ({ methods, pattern, dialect: 'fulcio', handle });
  return [
    route(['POST'], /^\/api\/v2\/signingCert\/?$/, observed(opts.observer, async (req) => {
      const request = parseV2Request(await readBody(req), req.headers['authorization']);
      const issued = await opts.service.signingCertificate(request.token, request.key);
      return json({ signedCertificateEmbeddedSct: { chain: { certificates: pems([issued.certificateDer, ...issued.chainDer]) } } });
    })),
    route(['GET'], /^\/api\/v2\/trustBundle\/?$/, async () => json({ chains: [{ certificates: pems(opts.service.chainDer) }] })),
    route(['GET'], /^\/api\/v2\/configuration\/?$/, async () => json({ issuers: opts.issuers() })),
    route(['POST'], /^\/api\/v1\/signingCert\/?$/, observed(opts.observer, async (req) => {
      const request = parseV1Request(await readBody(req), req.headers['authorization']);
      const issued = await opts.service.signingCertificate(request.token, request.key);
      // embedded SCT: the legacy `SCT` header (a detached SCT) stays empty, as Fulcio leaves it
      return { status: 201, headers: { 'content-type': PEM_CHAIN }, body: pems([issued.certificateDer, ...issued.chainDer]).join('') };
    })),
    route(['GET'], /^\/api\/v1\/rootCert\/?$/, async () => ({ status: 200, headers: { 'content-type': PEM_CHAIN }, body: pems(opts.service.chainDer).join('') })),
  ];
}
