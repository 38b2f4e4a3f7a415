/**
 * The request and response shapes registry routes use: core's framework-free route data, so
 * the registry imports no HTTP framework (STYLE.md §5).
 */

import type { HttpRequest, HttpResponse, Route } from '../core/index.ts';

/** An incoming request, as a registry route sees it. */
export type RegistryRequest = HttpRequest;

/** A registry answer. */
export type RegistryResponse = HttpResponse;

/** One registry route: its errors are answered in the distribution-spec body. */
export type RegistryRoute = Route & { readonly dialect: 'oci' };

/** The header every /v2 response carries (distribution-spec, "API Version Check"). */
export const API_VERSION_HEADER = { 'docker-distribution-api-version': 'registry/2.0' } as const;
