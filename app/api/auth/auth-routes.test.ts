import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as me from "@/app/api/admin/me/route";
import { peerAddressHeader } from "@/server/api/peer-address";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import * as nextAuthRoute from "./[...nextauth]/route";

// next-auth's endpoints driven as a browser drives them (csrf, then a form post), through the
// real route handler and the whole Floodgate behind it.

let fx: AdminFixture;
beforeAll(async () => {
  // server/main.ts trusts the Host header for next-auth's URLs when no public URL is set.
  vi.stubEnv("AUTH_TRUST_HOST", "true");
  fx = await createAdminFixture({ FLOODGATE_LOGIN_FAILURES_PER_IP: "6", FLOODGATE_LOGIN_FAILURES_PER_ACCOUNT: "4" });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fx.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const password = "fixture password 123";
let nextAddress = 10;

/** One browser: its own cookie jar and address. */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(
    readonly address = `198.51.100.${nextAddress++}`,
    readonly host = "localhost:3000",
  ) {}

  async send(
    method: "GET" | "POST",
    path: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers = new Headers({ host: this.host, [peerAddressHeader]: this.address, ...options.headers });
    // What Next adds before a route handler sees the request (base-server.js), when not sent.
    if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", headers.get("host") ?? "");
    if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", "http");
    if (this.jar.size) headers.set("cookie", this.cookieHeader());
    let body: string | undefined;
    if (options.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(options.form).toString();
    }
    const url = new URL(path, `http://${this.host}`);
    const segments = url.pathname
      .replace(/^\/api\/auth\/?/, "")
      .split("/")
      .filter(Boolean);
    const request = new Request(url, { method, headers, body });
    const handler = method === "GET" ? nextAuthRoute.GET : nextAuthRoute.POST;
    const response = await handler(request, { params: Promise.resolve({ nextauth: segments }) });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value = ""] = (pair ?? "").split("=");
      if (!name) continue;
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === "") this.jar.delete(name.trim());
      else this.jar.set(name.trim(), value);
    }
    return response;
  }

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async csrf(): Promise<string> {
    const response = await this.send("GET", "/api/auth/csrf");
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  /** As next-auth's signIn("credentials") posts; returns the error named in the URL, or null. */
  async signIn(email: string, secret = password): Promise<string | null> {
    const form = { csrfToken: await this.csrf(), email, password: secret, json: "true" };
    const response = await this.send("POST", "/api/auth/callback/credentials", { form });
    const { url } = (await response.json()) as { url: string };
    return new URL(url).searchParams.get("error");
  }

  /** next-auth's client signOut() (json: "true"), or a plain HTML form (a redirect back). */
  async signOut(kind: "client" | "form" = "client") {
    const form: Record<string, string> = { csrfToken: await this.csrf(), callbackUrl: "/admin/sign-in" };
    if (kind === "client") form.json = "true";
    return this.send("POST", "/api/auth/signout", { form });
  }
}

async function meStatus(cookie: string): Promise<number> {
  const request = new Request("http://localhost:3000/api/admin/me", { headers: { host: "localhost:3000", cookie } });
  const response = await me.GET(request, { params: Promise.resolve({}) });
  return response.status;
}

describe("sign-out", () => {
  it.each(["client", "form"] as const)(
    "ends that session on the server (%s post); the person's other session goes on",
    async (kind) => {
      const browser = new Browser();
      const other = new Browser();
      expect(await browser.signIn("operator@example.com")).toBeNull();
      expect(await other.signIn("operator@example.com")).toBeNull();
      const copy = browser.cookieHeader();
      expect(copy).toContain("next-auth.session-token=");
      expect(await meStatus(copy)).toBe(200);

      const response = await browser.signOut(kind);
      expect(response.status).toBe(kind === "client" ? 200 : 302);
      expect(browser.jar.has("next-auth.session-token")).toBe(false);
      expect(await meStatus(copy)).toBe(401);
      expect(await meStatus(other.cookieHeader())).toBe(200);
    },
  );

  it("refuses to re-issue a signed-out session's cookie (GET /api/auth/session)", async () => {
    const browser = new Browser();
    expect(await browser.signIn("viewer@example.com")).toBeNull();
    const thief = new Browser();
    for (const [name, value] of browser.jar) thief.jar.set(name, value);
    const copy = browser.cookieHeader();
    // A refresh re-issues the cookie (a new jti): the session's id must survive it, so that
    // signing out with the new cookie ends the copy taken before too.
    await browser.send("GET", "/api/auth/session");
    expect(browser.cookieHeader()).not.toBe(copy);
    await browser.signOut();

    expect(await meStatus(copy)).toBe(401);
    const refreshed = await thief.send("GET", "/api/auth/session");
    expect(await refreshed.json()).toEqual({});
    expect(thief.jar.has("next-auth.session-token")).toBe(false);
  });

  it("says so (503) when the sign-out cannot be recorded, rather than pretend", async () => {
    const browser = new Browser();
    expect(await browser.signIn("admin@example.com")).toBeNull();
    vi.spyOn(fx.floodgate.runtime.auth, "endSession").mockRejectedValueOnce(new Error("database is gone"));
    const response = await browser.signOut();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
  });
});

describe("sign-in throttle over HTTP", () => {
  it("lets a parallel burst from one address make no more password checks than its limit", async () => {
    const attacker = new Browser();
    const csrfToken = await attacker.csrf();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        attacker
          .send("POST", "/api/auth/callback/credentials", {
            form: { csrfToken, email: `nobody${i}@example.com`, password: "guess", json: "true" },
          })
          .then(async (r) => new URL(((await r.json()) as { url: string }).url).searchParams.get("error")),
      ),
    );
    expect(results.filter((e) => e === "CredentialsSignin")).toHaveLength(6);
    expect(results.filter((e) => e === "throttled")).toHaveLength(24);
  });

  it("refuses the right password at the end of a burst on one account", async () => {
    const { passwordHash } = (await fx.users.findByEmail("viewer@example.com")) ?? { passwordHash: "" };
    await fx.users.create({ email: "burst@example.com", name: "Burst", role: "viewer", passwordHash });
    const csrfOf = new Map<Browser, string>();
    const browsers = Array.from({ length: 12 }, () => new Browser());
    for (const b of browsers) csrfOf.set(b, await b.csrf());
    const burst = browsers.map((b, i) =>
      b.send("POST", "/api/auth/callback/credentials", {
        form: { csrfToken: csrfOf.get(b) ?? "", email: "burst@example.com", password: `guess ${i}`, json: "true" },
      }),
    );
    const owner = new Browser();
    const last = owner.signIn("burst@example.com");
    await Promise.all(burst);
    expect(await last).toBe("throttled");
  });
});

describe("hosts next-auth may build its URLs from", () => {
  const attacks: { name: string; headers: Record<string, string> }[] = [
    { name: "Host", headers: { host: "evil.example" } },
    { name: "X-Forwarded-Host", headers: { "x-forwarded-host": "evil.example" } },
  ];
  const endpoints = [
    { method: "GET", path: "/api/auth/csrf" },
    { method: "GET", path: "/api/auth/signin?callbackUrl=http%3A%2F%2Fevil.example%2Fphish" },
    { method: "GET", path: "/api/auth/session" },
    { method: "GET", path: "/api/auth/providers" },
    { method: "GET", path: "/api/auth/signout" },
    { method: "POST", path: "/api/auth/signin/credentials" },
    { method: "POST", path: "/api/auth/callback/credentials" },
    { method: "POST", path: "/api/auth/signout" },
  ] as const;

  it.each(
    attacks.flatMap((attack) =>
      endpoints.map((endpoint) => ({ ...endpoint, attack: attack.name, headers: attack.headers })),
    ),
  )(
    "refuses $method $path naming another host in $attack (400, no redirect, no cookie)",
    async ({ method, path, headers }) => {
      // A real session and CSRF token: the request would otherwise pass every next-auth check.
      const browser = new Browser();
      expect(await browser.signIn("viewer@example.com")).toBeNull();
      const form = {
        csrfToken: await browser.csrf(),
        email: "viewer@example.com",
        password,
        callbackUrl: "http://evil.example/phish",
        json: "true",
      };
      const response = await browser.send(method, path, { headers, form: method === "POST" ? form : undefined });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.getSetCookie()).toEqual([]);
      const body = await response.json();
      expect(body).toMatchObject({ error: { code: "bad_request" } });
      expect(JSON.stringify(body)).not.toContain("evil.example");
    },
  );

  it("still answers the host the server listens as, and keeps callback URLs on it", async () => {
    const browser = new Browser(undefined, "127.0.0.1:3000");
    const form = {
      csrfToken: await browser.csrf(),
      email: "viewer@example.com",
      password,
      callbackUrl: "http://evil.example/phish",
      json: "true",
    };
    const response = await browser.send("POST", "/api/auth/callback/credentials", { form });
    expect(response.status).toBe(200);
    // Off-site callback URLs fall back to the console (server/auth/auth-redirect.ts), on this host.
    expect(((await response.json()) as { url: string }).url).toBe("http://127.0.0.1:3000/admin");
  });
});
