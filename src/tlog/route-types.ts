/**
 * The request and response shapes log routes use: core's framework-free route data, so tlog
 * imports no HTTP module (STYLE.md §5); server passes them to http as is.
 */

import type { HttpRequest, HttpResponse, Route } from '../core/index.ts';

/** An incoming request, as a log route sees it. */
export type LogRequest = HttpRequest;

/** A log answer. */
export type LogResponse = HttpResponse;

/** One log route; errors thrown by `handle` are answered in Rekor's `{code, message}` body. */
export type LogRoute = Route & { readonly dialect: 'rekor' };
