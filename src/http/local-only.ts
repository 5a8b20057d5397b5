/**
 * Without `auth` (a laptop, local development) nothing asks who is calling, so two other
 * gates keep web pages out:
 *
 * - **Host check** (DNS rebinding): a page of `evil.example` whose name is made to resolve
 *   to 127.0.0.1 reaches this server with `Host: evil.example`. Only loopback names, IP
 *   addresses (a rebinding page always has a name), the `host` it listens on and the
 *   config's `allowedHosts` are answered; `/healthz` stays open for probes.
 * - **Cross-site refusal** (CSRF): a page on another site can make the browser send
 *   `GET /v1/complete?question=…` (an `EventSource`, an `<img>`, a link) or a form POST even
 *   though it cannot read the answer: the run happens and the turn is saved. Requests whose
 *   `Origin` is neither this server's nor allowed by `cors.origins`, and requests a browser
 *   marks `Sec-Fetch-Site: cross-site` without an allowed `Origin`, are refused before any work.
 *
 * With `auth` neither applies: keys travel in headers (never cookies), so a page without
 * the key gets a 401 anyway, and operators answer whatever names their proxy sends.
 */
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { PermissionDeniedError } from '../core/errors.js';
import { originMatcher } from './cors.js';

export interface HostCheckOptions {
  /** The address or name the server listens on (`host` in the config). */
  host: string;
  /** Names answered besides those; `.example.com` also covers its subdomains. */
  allowedHosts: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** `Host` without its port, brackets and trailing dot, lower case. */
export function hostnameOf(host: string): string {
  let bare: string;
  if (host.startsWith('[')) bare = host.slice(1, host.includes(']') ? host.indexOf(']') : undefined);
  else if (isIP(host) === 6) bare = host; // a bare IPv6 `host` in the config: its last group is no port
  else bare = host.replace(/:\d*$/, '');
  return bare.replace(/\.$/, '').toLowerCase();
}

export function hostAllowed(options: HostCheckOptions): (host: string) => boolean {
  const exact = new Set([...LOOPBACK_NAMES, hostnameOf(options.host), ...options.allowedHosts.filter((h) => !h.startsWith('.')).map(hostnameOf)]);
  const suffixes = options.allowedHosts.filter((h) => h.startsWith('.')).map((h) => h.toLowerCase());
  return (host) => {
    const name = hostnameOf(host);
    return exact.has(name) || name.endsWith('.localhost') || isIP(name) !== 0 || suffixes.some((s) => name === s.slice(1) || name.endsWith(s));
  };
}

/** 403 `host_not_allowed` for a `Host` this server does not answer to (every path but `/healthz`). */
export function checkHost(options: HostCheckOptions): RequestHandler {
  const allowed = hostAllowed(options);
  return (req, _res, next) => {
    const host = req.get('host');
    // No Host (HTTP/1.0 by hand) is not a browser: there is no page behind it.
    if (host === undefined || req.path === '/healthz' || allowed(host)) return next();
    next(
      new PermissionDeniedError(
        `Host ${JSON.stringify(host.slice(0, 200))} is not allowed: without auth this server answers only localhost, its IP addresses and the names in allowedHosts (DNS rebinding protection). Add the name to allowedHosts in the config, or configure auth.keys.`,
        { code: 'host_not_allowed', param: 'Host' },
      ),
    );
  };
}

/** 403 `cross_site_request` for a browser request from a page of another origin that `cors.origins` does not allow. */
export function refuseCrossSite(corsOrigins: readonly string[]): RequestHandler {
  const allowed = originMatcher(corsOrigins);
  return (req, _res, next) => {
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if (origin !== undefined ? sameOrigin(origin, req.get('host')) || allowed(origin) : site !== 'cross-site') return next();
    const from = origin !== undefined ? `from the page origin ${JSON.stringify(origin.slice(0, 200))}` : 'from a page on another site (Sec-Fetch-Site: cross-site)';
    next(
      new PermissionDeniedError(
        `A browser request ${from} was refused: without auth, only this server's own pages and the origins in cors.origins may call the API. Add the origin to cors.origins in the config, or configure auth.keys.`,
        { code: 'cross_site_request' },
      ),
    );
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // `null` (a sandboxed frame, a file:// page) or garbage
  }
}
