import { HttpResponse, type JsonBodyType } from 'msw';
import type { WebsiteErrorResponse } from '../protocol/index.js';

/*
 * The mocked website's answers: JSON, never cached, and the same error bodies as the
 * relying-party kit's.
 */

export const NOT_FOUND = {
  error: 'not_found',
  error_description: 'There is no such login in this browser.',
} as const satisfies WebsiteErrorResponse;

export const FORBIDDEN = {
  error: 'forbidden',
  error_description: 'This request did not come from this website.',
} as const satisfies WebsiteErrorResponse;

export const UNAUTHORIZED = {
  error: 'unauthorized',
  error_description: 'Log in first.',
} as const satisfies WebsiteErrorResponse;

export const REAUTHENTICATION_REQUIRED = {
  error: 'reauthentication_required',
  error_description: 'Sign in again before you link a phone.',
} as const satisfies WebsiteErrorResponse;

export const INVALID_CONFIRMATION = {
  error: 'invalid_request',
  error_description: 'This login does not wait for that confirmation.',
} as const satisfies WebsiteErrorResponse;

export const BUSY = {
  error: 'busy',
  error_description: 'Too many logins right now; try again.',
} as const satisfies WebsiteErrorResponse;

export const UNAVAILABLE = {
  error: 'unavailable',
  error_description: 'Login by phone is not available; try again.',
} as const satisfies WebsiteErrorResponse;

/**
 * A JSON answer with `Cache-Control: no-store`.
 *
 * Its `Set-Cookie`, if any, goes where the client keeps cookies. In a page (a browser, or a DOM
 * such as jsdom) that is MSW's cookie store: a service worker's answer cannot set a cookie in the
 * browser itself, so MSW keeps it and hands it back with every later request, as the browser
 * would. Node's fetch keeps no cookies, so there MSW must not either: the client sends the Cookie
 * header back itself, as it must to the real website.
 */
export function jsonAnswer(
  status: number,
  body: JsonBodyType,
  headers: Record<string, string> = {},
): Response {
  const init = { status, headers: { 'Cache-Control': 'no-store', ...headers } };
  return typeof document === 'undefined'
    ? Response.json(body, init)
    : HttpResponse.json(body, init);
}
