// Response headers that keep pages from being framed and bound what a page may load or run.
// Plain module (no "server-only"): next.config.ts reads it at start, proxy.ts per console
// request and the gate for the pages it answers itself, so all three say the same thing.
//
// Two policies for Next.js pages:
// - The console and sign-in (/admin/**) get a fresh nonce per response and
//   `script-src 'nonce-…' 'strict-dynamic'`: an injected <script> or inline handler cannot run
//   where a signed-in operator's session could be used. These pages are rendered per request
//   anyway (they read the session), so the nonce costs one random value. Never framed.
// - Public pages (waiting page, shop) get a static policy with `script-src 'self'
//   'unsafe-inline'`: Next.js's inline bootstrap scripts need either that or a nonce, and a nonce
//   means running proxy.ts on every waiting-page load, the path a flash crowd hits (it is left
//   out of the proxy's matcher on purpose). These pages render no HTML from input (React
//   escapes text; nothing uses dangerouslySetInnerHTML) and hold no privilege beyond the
//   visitor's own HttpOnly cookies, so the rest of the policy (no plugins, no <base>, forms and
//   connections to this origin only, framing by this origin only) is what carries the weight.
// Styles allow 'unsafe-inline' everywhere: React and recharts write style attributes, which a
// nonce cannot cover. Fonts are the system's; images are same-origin files, data: URIs and,
// for a room's logo (server/queue/branding.ts), any https: image. The Next.js policies are
// static (no per-room value), so they cannot name each room's logo host; an image cannot run
// script, the logo is fetched without a referrer, and scripts, connections, forms and frames
// stay this origin's. What the wider img-src gives up: markup injected into a page (which React
// does not allow) could make the browser fetch an outside image, revealing that the page was
// seen, nothing more, since connect-src stays 'self'. The console allows it too, for the
// branding preview; its scripts stay nonce-only. (http: logos, allowed for localhost in the
// demo, load there because they are this origin's; the gate's own pages name the logo's origin.)

import { retryScriptHash } from "./gate/retry-script";

type Directives = Record<string, string[]>;

const shared: Directives = {
  "default-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "blob:", "https:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "manifest-src": ["'self'"],
  "worker-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
};

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");
}

/** React's development build evaluates code (error overlays, stack rebuilding); production never. */
const devScript = (dev: boolean) => (dev ? ["'unsafe-eval'"] : []);

/** The console's and sign-in's policy, for one response: scripts only with this nonce. */
export function consoleContentSecurityPolicy(nonce: string, dev = false): string {
  return serialize({
    ...shared,
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...devScript(dev)],
    "frame-ancestors": ["'none'"],
  });
}

/** The waiting page's and shop's policy (static: see above). */
export function publicContentSecurityPolicy(dev = false): string {
  return serialize({
    ...shared,
    "script-src": ["'self'", "'unsafe-inline'", ...devScript(dev)],
    "frame-ancestors": ["'self'"],
  });
}

/**
 * The gate's own HTML (room full, closed, slow down): one inline <style>, one inline script
 * allowed by its hash alone (the countdown: server/gate/retry-script.ts), a language form that
 * goes to this origin, and no request of its own but the room's logo, whose origin alone it
 * may load images from.
 */
export function gatePageContentSecurityPolicy(logoOrigin: string | null = null): string {
  return serialize({
    "default-src": ["'none'"],
    "script-src": [retryScriptHash],
    "style-src": ["'unsafe-inline'"],
    ...(logoOrigin ? { "img-src": [logoOrigin] } : {}),
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
  });
}

/** A fresh nonce: 128 random bits, base64 (what a CSP nonce-source allows). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** Headers every response of this site carries. */
export const baseSecurityHeaders: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** The console and sign-in: never framed (X-Frame-Options for browsers without CSP level 2). */
export const consoleSecurityHeaders: Record<string, string> = {
  ...baseSecurityHeaders,
  "x-frame-options": "DENY",
  // Console URLs name rooms, users and searches: nothing of them leaves the site.
  "referrer-policy": "same-origin",
};

/** Public pages: framed only by this origin. The CSP itself comes from publicContentSecurityPolicy. */
export const publicSecurityHeaders: Record<string, string> = {
  ...baseSecurityHeaders,
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/** The gate's own HTML pages: public headers plus their own tight policy (and the room's logo's origin). */
export function gatePageSecurityHeaders(logoUrl: string | null = null): Record<string, string> {
  return {
    ...publicSecurityHeaders,
    "content-security-policy": gatePageContentSecurityPolicy(logoUrl ? originOf(logoUrl) : null),
  };
}

/** A URL's origin as a CSP source ("https://cdn.example"); null when it has none. */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/** True for the paths that take the console's policy (the console and sign-in page). */
export function isConsolePath(pathname: string): boolean {
  return pathname === "/admin" || pathname.startsWith("/admin/");
}
