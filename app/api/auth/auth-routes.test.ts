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
    const csrfOf = new Map<Browser, string>();
    const browsers = Array.from({ length: 12 }, () => new Browser());
    for (const b of browsers) csrfOf.set(b, await b.csrf());
    const burst = browsers.map((b, i) =>
      b.send("POST", "/api/auth/callback/credentials", {
        form: { csrfToken: csrfOf.get(b) ?? "", email: "viewer@example.com", password: `guess ${i}`, json: "true" },
      }),
    );
    const owner = new Browser();
    const last = owner.signIn("viewer@example.com");
    await Promise.all(burst);
    expect(await last).toBe("throttled");
  });
});
