// The route data types live in core so that services can build routes without importing http.
export type { ErrorDialect, HttpRequest, HttpResponse, Route } from '../core/route.ts';
