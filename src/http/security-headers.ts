/**
 * Response headers that keep browsers from misreading or framing what streamgate serves.
 * The chat page gets a strict Content-Security-Policy it passes: its scripts and styles
 * are files from this origin (no inline script or style), it talks only to this origin,
 * and no page may frame it. Everything else (JSON, SSE) may not be framed either.
 */
import type { RequestHandler, Response } from 'express';

/** The chat page's policy: everything from this origin only, nothing inline (the favicon is a file). */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Everything that is not the page (JSON, SSE): no page may frame it. Nothing more: a
 * same-origin tool may open such a response as its document and call the API from it.
 */
export const API_CSP = "frame-ancestors 'none'";

export const securityHeaders: RequestHandler = (_req, res, next) => {
  // `setHeader` itself: `res.set` of an object walks it and converts each value, per request.
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', API_CSP);
  next();
};

/** For `express.static`'s `setHeaders`: an HTML page gets the page policy. */
export function setPageHeaders(res: Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Content-Security-Policy', PAGE_CSP);
}
