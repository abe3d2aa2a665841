import { mulberry32 } from "../../server/testing/seeded-random";
// Seeded generator of hostile HTTP/1.1 requests, written as raw bytes: methods, request targets,
// headers and bodies that a browser would never send but an attacker will. Same seed, same
// requests (the spec prints the seed on failure: FUZZ_SEED=<seed> reproduces a run).

export type Random = {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
};

/** mulberry32: small, fast, good enough to spread the cases. */
export function seededRandom(seed: number): Random {
  const next = mulberry32(seed);

  return {
    next,
    int: (below) => Math.floor(next() * below),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  };
}

export type Secrets = { sessionCookie: string; queueToken: string; metricsToken: string };

/** Every public and admin route, with the room, ids and keys they take. */
const routes = [
  "/",
  "/shop",
  "/shop/item/1",
  "/shop/item/{junk}",
  "/wait/default",
  "/wait/default?next=/shop",
  "/wait/{room}",
  "/wait",
  "/api/queue/default",
  "/api/queue/default/enter",
  "/api/queue/default/heartbeat",
  "/api/queue/default/leave",
  "/api/queue/default/status",
  "/api/queue/{room}/heartbeat",
  "/api/queue/{room}/{junk}",
  "/admin",
  "/admin/sign-in",
  "/admin/tokens",
  "/admin/audit",
  "/admin/users",
  "/admin/events",
  "/admin/alerts",
  "/admin/api-keys",
  "/admin/account",
  "/admin/rooms/default",
  "/admin/rooms/{room}",
  "/api/admin/me",
  "/api/admin/me/password",
  "/api/admin/rooms",
  "/api/admin/rooms/default",
  "/api/admin/rooms/{room}",
  "/api/admin/rooms/default/capacity",
  "/api/admin/rooms/default/capacity-plan",
  "/api/admin/rooms/default/channel",
  "/api/admin/rooms/default/drain",
  "/api/admin/rooms/default/events",
  "/api/admin/rooms/default/events/{junk}",
  "/api/admin/rooms/default/series?range={junk}",
  "/api/admin/rooms/default/surge-policy",
  "/api/admin/rooms/default/surge/end",
  "/api/admin/rooms/default/surges",
  "/api/admin/rooms/default/test-notification",
  "/api/admin/rooms/default/thresholds",
  "/api/admin/rooms/default/thresholds/{junk}",
  "/api/admin/rooms/default/tokens?state={junk}&q={junk}",
  "/api/admin/rooms/default/tokens/{junk}",
  "/api/admin/rooms/default/tokens/{junk}/admit",
  "/api/admin/rooms/default/tokens/{junk}/evict",
  "/api/admin/stats",
  "/api/admin/system",
  "/api/admin/audit?cursor={junk}",
  "/api/admin/alerts",
  "/api/admin/deliveries",
  "/api/admin/events",
  "/api/admin/api-keys",
  "/api/admin/api-keys/{junk}",
  "/api/admin/users",
  "/api/admin/users/{junk}",
  "/api/auth/csrf",
  "/api/auth/session",
  "/api/auth/providers",
  "/api/auth/signin",
  "/api/auth/signout",
  "/api/auth/callback/credentials",
  "/api/auth/{junk}",
  "/api/triggers/surge",
  "/api/triggers/end-session",
  "/metrics",
  "/healthz",
  "/.well-known/jwks.json",
  "/floodgate.js",
  "/openapi.yaml",
  "/favicon.svg",
  "/_next/static/{junk}",
  "/{junk}",
] as const;

const methods = ["GET", "GET", "HEAD", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];
const oddMethods = ["TRACK", "PROPFIND", "FOO", "get", "M-SEARCH", "PRI", "X".repeat(100), "DEL\x01ETE"];

const junkPieces = [
  "x",
  "default",
  "..",
  "%2e%2e",
  "%2F",
  "%00",
  "%zz",
  "%",
  "%c0%af",
  "%E0%A4%A",
  "\\",
  "//evil.example",
  "%5c",
  "é",
  "\u202e",
  "🙂",
  "a;b",
  "'\"<script>",
  "$%7Bjndi:ldap://x%7D",
  "?",
  "#frag",
  "\t",
  "0",
  "-1",
  "99999999999999999999",
  "null",
  "[]",
  "{}",
];

function junk(random: Random): string {
  const count = 1 + random.int(3);
  let out = "";
  for (let i = 0; i < count; i++) out += random.pick(junkPieces);
  return out;
}

function target(random: Random): string {
  const roll = random.next();
  if (roll < 0.03) return "*";
  if (roll < 0.06) return `http://127.0.0.1${random.pick(routes).replace(/\{\w+\}/g, "x")}`;
  if (roll < 0.07) return "127.0.0.1:443";
  if (roll < 0.08) return `/${"a".repeat(1_000 + random.int(20_000))}`;
  if (roll < 0.09) return `/api/queue/default/heartbeat?page=${"p".repeat(random.int(10_000))}`;
  let path = random
    .pick(routes)
    .replace(/\{room\}/g, () => junk(random))
    .replace(/\{junk\}/g, () => junk(random));
  if (random.chance(0.15)) path += `${path.includes("?") ? "&" : "?"}${junk(random)}=${junk(random)}`;
  if (random.chance(0.05)) path = path.replace("/", "//");
  if (random.chance(0.05)) path = `${path}/`;
  return path;
}

const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "text/plain",
  "application/xml",
  ";;;",
  "application/json; charset=klingon",
  "",
];

function body(random: Random): Buffer {
  const roll = random.next();
  if (roll < 0.25) return Buffer.alloc(0);
  if (roll < 0.4) return Buffer.from(random.pick(['{"', "{bad}", "[1,2", '{"capacity":', "nul", '"\\u12"', "{}{}"]));
  if (roll < 0.55) {
    const values = [1, -1, 1e308, "x", null, true, [], {}, "a".repeat(500), "default"];
    const keys = [
      "capacity",
      "mode",
      "token",
      "page",
      "email",
      "password",
      "role",
      "name",
      "id",
      "__proto__",
      "reason",
    ];
    const object: Record<string, unknown> = {};
    for (let i = random.int(5); i > 0; i--) object[random.pick(keys)] = random.pick(values);
    return Buffer.from(JSON.stringify(object));
  }
  if (roll < 0.65) return Buffer.from(`csrfToken=${junk(random)}&email=${junk(random)}&password=%zz&json=true`);
  if (roll < 0.8) return Buffer.from(Array.from({ length: 1 + random.int(2_000) }, () => random.int(256)));
  if (roll < 0.9) return Buffer.alloc(20_000 + random.int(200_000), random.pick(["{", "a", "\0"]));
  return Buffer.alloc(1_000_000 + random.int(1_000_000), "x");
}

function cookie(random: Random, secrets: Secrets): string | undefined {
  const options = [
    undefined,
    `next-auth.session-token=${secrets.sessionCookie}`,
    `next-auth.session-token=${secrets.sessionCookie}; fgq_default=${secrets.queueToken}`,
    `fgq_default=${secrets.queueToken}`,
    `fgq_default=${junk(random)}`,
    `next-auth.session-token=${junk(random)}`,
    `next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${"A".repeat(random.int(4_000))}`,
    `next-auth.session-token.0=${junk(random)}; next-auth.session-token.1=${junk(random)}`,
    "=; ; ;=;==",
    `a=${"b".repeat(6_000)}`,
    `fgq_default="${junk(random)}`,
    `fga_default=${junk(random)}`,
  ];
  return random.pick(options);
}

/** One request as bytes, and a short description for the failure report. */
export function generateRequest(random: Random, secrets: Secrets, port: number) {
  const method = random.chance(0.05) ? random.pick(oddMethods) : random.pick(methods);
  const path = target(random);
  const payload =
    method === "GET" || method === "HEAD" ? (random.chance(0.1) ? body(random) : Buffer.alloc(0)) : body(random);
  const headers: string[] = [];
  const host = random.chance(0.9)
    ? `127.0.0.1:${port}`
    : random.pick(["evil.example", "", "[::1", "a".repeat(300), "127.0.0.1:1"]);
  if (random.chance(0.97)) headers.push(`Host: ${host}`);
  const jar = cookie(random, secrets);
  if (jar !== undefined) headers.push(`Cookie: ${jar}`);
  if (payload.length > 0 || random.chance(0.2)) headers.push(`Content-Type: ${random.pick(contentTypes)}`);
  if (random.chance(0.15)) {
    headers.push(
      `Authorization: ${random.pick([`Bearer ${secrets.queueToken}`, `Bearer ${secrets.metricsToken}`, `Bearer ${junk(random)}`, "Basic Og==", "Bearer"])}`,
    );
  }
  if (random.chance(0.1))
    headers.push(`Origin: ${random.pick(["http://evil.example", "null", `http://127.0.0.1:${port}`])}`);
  if (random.chance(0.05)) headers.push(`X-Forwarded-For: ${junk(random)}`);
  if (random.chance(0.05)) headers.push(`X-Request-Id: ${junk(random)}`);
  if (random.chance(0.03)) headers.push(`X-Huge: ${"h".repeat(20_000 + random.int(20_000))}`);
  if (random.chance(0.03)) for (let i = 0; i < 150; i++) headers.push(`X-Many-${i}: ${i}`);
  if (random.chance(0.03)) headers.push("Expect: 100-continue");
  if (random.chance(0.02)) headers.push(`Accept: ${junk(random)}`);
  if (random.chance(0.03)) headers.push("Next-Action: 0123456789abcdef");
  let framed = payload;
  const framing = random.next();
  if (framing < 0.05) {
    headers.push("Transfer-Encoding: chunked");
    framed = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from("\r\n0\r\n\r\n")]);
  } else if (framing < 0.07) {
    headers.push(`Content-Length: ${random.pick(["abc", "-1", "1e3", "99999999999999999999", "5, 6"])}`);
  } else if (framing < 0.08) {
    headers.push("Transfer-Encoding: chunked", `Content-Length: ${payload.length}`);
  } else if (framing < 0.09) {
    headers.push("Transfer-Encoding: chunked");
    framed = Buffer.from("zz\r\nnot hex\r\n");
  } else if (payload.length > 0 || random.chance(0.3)) {
    headers.push(`Content-Length: ${payload.length}`);
  }
  headers.push("Connection: close");
  const head = Buffer.from(`${method} ${path} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`, "utf8");
  return {
    bytes: Buffer.concat([head, framed]),
    summary: `${method.slice(0, 20)} ${path.slice(0, 120)}`,
  };
}
