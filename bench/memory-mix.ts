import { Readable } from "node:stream";
import type { Dispatcher } from "undici";

// The hostile request mix of the memory scenario: what one attacker (or a crowd of broken
// clients) can send the public and admin surface without knowing a password, plus what a
// signed-in operator's stolen cookie can send. Every request is built from a seeded random
// stream, so two runs send the same mix. Query strings, paths and cookies are fresh on each
// request: a cache keyed by any of them must not grow with the number of requests.
// Weights are percentages. Next.js renders and route handlers cost 2-20 ms of CPU each
// against 0.1-0.6 ms for the gate's answers, so at 1,000 requests a second on one core about
// 5 % of the mix goes to Next (every kind of page and API call is there) and the rest to the
// gate and Next's static 404s; what each Next kind leaves behind was also measured alone.

export type MixContext = {
  /** `next-auth.session-token=…` of a signed-in admin (null when signing in failed). */
  sessionCookie: string | null;
  /** The app's origin, sent as Origin on admin changes so they pass the cross-site check. */
  origin: string;
  random: () => number;
};

export type MixKind = {
  name: string;
  /** Share of the requests, relative to the other kinds' weights. */
  weight: number;
  build: (ctx: MixContext) => Dispatcher.DispatchOptions;
};

const bigBodyBytes = 60 * 1024;
/** 60 KB of JSON: a room update whose name is far too long (422 once read, 413 past 64 KB). */
const bigJson = Buffer.from(JSON.stringify({ name: "x".repeat(bigBodyBytes - 12) }));
/** Past the admin API's 64 KB limit. */
const tooBigJson = Buffer.from(JSON.stringify({ name: "y".repeat(80 * 1024) }));
/** 8 MB: what Next.js would buffer for its proxy (up to 10 MB by default) before any handler runs. */
const hugeJson = Buffer.from(JSON.stringify({ name: "z".repeat(8 * 1024 * 1024) }));

const hex = (random: () => number, n = 12) => {
  let out = "";
  for (let i = 0; i < n; i++) out += Math.floor(random() * 16).toString(16);
  return out;
};

/** A body sent with Transfer-Encoding: chunked (no Content-Length), in 16 KB pieces. */
function chunked(body: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 16 * 1024) parts.push(body.subarray(at, at + 16 * 1024));
  return Readable.from(parts);
}

const adminHeaders = (ctx: MixContext, withSession: boolean, extra: Record<string, string> = {}) => ({
  "content-type": "application/json",
  origin: ctx.origin,
  ...(withSession && ctx.sessionCookie ? { cookie: ctx.sessionCookie } : {}),
  ...extra,
});

const get = (path: string, headers: Record<string, string> = {}): Dispatcher.DispatchOptions => ({
  path,
  method: "GET",
  headers,
});

export const memoryMix: MixKind[] = [
  // Waiting pages: a new place and a full page render each, distinct query string every time.
  {
    name: "wait page, new visitor",
    weight: 0.6,
    build: ({ random }) =>
      get(`/wait/default?next=${encodeURIComponent(`/shop/item/${hex(random)}?q=${hex(random)}`)}`),
  },
  {
    name: "wait page, forged cookie",
    weight: 0.3,
    build: ({ random }) =>
      get(`/wait/default?next=/shop&utm=${hex(random, 20)}`, { cookie: `fgq_default=${hex(random, 40)}` }),
  },
  { name: "wait page, unknown room", weight: 0.2, build: ({ random }) => get(`/wait/r${hex(random, 8)}?next=/shop`) },
  // Protected shop pages without an admission: the proxy sends them to the waiting page.
  { name: "shop", weight: 0.5, build: ({ random }) => get(`/shop?ref=${hex(random)}`) },
  { name: "shop item", weight: 0.25, build: ({ random }) => get(`/shop/item/${hex(random)}?v=${hex(random)}`) },
  { name: "home page", weight: 0.15, build: ({ random }) => get(`/?x=${hex(random)}`) },
  // The console: signed out (redirect, sign-in page) and with a session (server-rendered pages).
  { name: "admin, signed out", weight: 0.4, build: ({ random }) => get(`/admin/rooms/${hex(random, 6)}`) },
  {
    name: "sign-in page",
    weight: 0.2,
    build: ({ random }) => get(`/admin/sign-in?callbackUrl=${encodeURIComponent(`/admin/audit?p=${hex(random)}`)}`),
  },
  {
    name: "admin pages, session",
    weight: 0.2,
    build: (ctx) => {
      const pages = ["/admin", "/admin/rooms/default", "/admin/audit", "/admin/tokens", "/admin/events"];
      const page = pages[Math.floor(ctx.random() * pages.length)] as string;
      return get(`${page}?r=${hex(ctx.random)}`, ctx.sessionCookie ? { cookie: ctx.sessionCookie } : {});
    },
  },
  {
    name: "admin API GET, session",
    weight: 0.2,
    build: (ctx) =>
      get(
        `/api/admin/rooms/default/tokens?state=waiting&q=${hex(ctx.random)}`,
        ctx.sessionCookie ? { cookie: ctx.sessionCookie } : {},
      ),
  },
  // Admin API changes with 60 KB bodies: with and without a session, with and without a length.
  {
    name: "admin PATCH 60 KB, session",
    weight: 0.3,
    build: (ctx) => ({
      path: "/api/admin/rooms/default",
      method: "PATCH",
      headers: adminHeaders(ctx, true),
      body: bigJson,
    }),
  },
  {
    name: "admin PATCH 60 KB chunked, session",
    weight: 0.3,
    build: (ctx) => ({
      path: "/api/admin/rooms/default",
      method: "PATCH",
      headers: adminHeaders(ctx, true),
      body: chunked(bigJson),
    }),
  },
  {
    name: "admin PUT 80 KB chunked, session",
    weight: 0.2,
    build: (ctx) => ({
      path: "/api/admin/rooms/default/capacity",
      method: "PUT",
      headers: adminHeaders(ctx, true),
      body: chunked(tooBigJson),
    }),
  },
  {
    name: "admin PATCH 60 KB, no session",
    weight: 0.3,
    build: (ctx) => ({
      path: "/api/admin/rooms/default",
      method: "PATCH",
      headers: adminHeaders(ctx, false),
      body: bigJson,
    }),
  },
  {
    name: "admin POST 60 KB chunked, no session",
    weight: 0.2,
    build: (ctx) => ({
      path: "/api/admin/rooms",
      method: "POST",
      headers: adminHeaders(ctx, false),
      body: chunked(bigJson),
    }),
  },
  {
    name: "admin POST 8 MB chunked, no session",
    weight: 0.05,
    build: (ctx) => ({
      path: "/api/admin/rooms",
      method: "POST",
      headers: adminHeaders(ctx, false),
      body: chunked(hugeJson),
    }),
  },
  {
    name: "admin POST bad JSON, session",
    weight: 0.1,
    build: (ctx) => ({
      path: "/api/admin/rooms",
      method: "POST",
      headers: adminHeaders(ctx, true),
      body: `{"id":"${hex(ctx.random)}",`,
    }),
  },
  // The public queue API: arrivals nobody follows up, forged tokens, leaves for nobody.
  { name: "queue enter", weight: 20, build: () => ({ path: "/api/queue/default/enter", method: "POST", headers: {} }) },
  {
    name: "queue heartbeat, forged token",
    weight: 37,
    build: ({ random }) => ({
      path: "/api/queue/default/heartbeat",
      method: "POST",
      headers: { authorization: `Bearer ${hex(random, 30)}.${hex(random, 60)}.${hex(random, 43)}` },
    }),
  },
  {
    name: "queue leave, forged token",
    weight: 11,
    build: ({ random }) => ({
      path: `/api/queue/default/leave?page=${hex(random)}`,
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ token: `${hex(random, 30)}.${hex(random, 60)}` }),
    }),
  },
  {
    name: "queue status, unknown room",
    weight: 11,
    build: ({ random }) => get(`/api/queue/q${hex(random, 8)}/status`),
  },
  // Not found and bad requests.
  { name: "404 page", weight: 0.15, build: ({ random }) => get(`/no/such/${hex(random)}`) },
  { name: "404 static", weight: 16, build: ({ random }) => get(`/_next/static/chunks/${hex(random, 16)}.js`) },
  {
    name: "auth session, forged cookie",
    weight: 0.15,
    build: ({ random }) => get("/api/auth/session", { cookie: `next-auth.session-token=${hex(random, 200)}` }),
  },
  {
    name: "auth credentials, bad form",
    weight: 0.1,
    build: ({ random }) => ({
      path: "/api/auth/callback/credentials",
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `csrfToken=${hex(random, 64)}&email=x${hex(random, 6)}%40example.com&password=wrong`,
    }),
  },
  { name: "bad escape", weight: 0.15, build: ({ random }) => get(`/shop/%E0%A4%A${hex(random, 2)}`) },
];

/** Spreads the kinds over a table of 10,000 slots, so picking one is one random index. */
export function mixTable(kinds: MixKind[]): MixKind[] {
  const total = kinds.reduce((sum, k) => sum + k.weight, 0);
  const table: MixKind[] = [];
  for (const kind of kinds) {
    const slots = Math.max(1, Math.round((kind.weight / total) * 10_000));
    for (let i = 0; i < slots; i++) table.push(kind);
  }
  return table;
}
