import { NextRequest } from "next/server";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { assembleFloodgate } from "@/server/floodgate";
import { publishRuntime } from "@/server/runtime";
import { ManualClock } from "@/server/testing/engine-fixture";
import { tempDatabaseUrl, testDataDir } from "@/server/testing/temp-db";
import { proxy } from "./proxy";

// The real proxy function over a whole Floodgate (engine, store, tokens) published as the
// runtime, as server/main.ts publishes it: the protected path lets a request through only with
// the admission cookie of a visitor who holds a slot now, and sends everyone else to the
// waiting page with where they wanted to go; console paths get their CSP or go to sign-in.

const leaveGraceMs = 2_000;
let floodgate: Awaited<ReturnType<typeof assembleFloodgate>>;
let clock: ManualClock;

beforeAll(async () => {
  const databaseUrl = tempDatabaseUrl();
  const config = parseEnv({
    FLOODGATE_DATA_DIR: testDataDir(databaseUrl),
    DATABASE_URL: databaseUrl,
    FLOODGATE_DEFAULT_ROOM_CAPACITY: "1",
    FLOODGATE_DEFAULT_ROOM_PROTECTED_PATHS: "/shop",
    FLOODGATE_DEFAULT_ROOM_HEARTBEAT_TIMEOUT_MS: "20000",
    FLOODGATE_LEAVE_GRACE_MS: String(leaveGraceMs),
  });
  clock = new ManualClock();
  floodgate = await assembleFloodgate(config, pino({ level: "silent" }), clock.now);
  publishRuntime(floodgate.runtime);
});
afterAll(() => floodgate.close());

function request(path: string, cookie?: string): NextRequest {
  return new NextRequest(new URL(path, "http://shop.test"), { headers: cookie ? { cookie } : {} });
}

/** NextResponse.next() marks the response so: the request goes on to the page. */
const passedThrough = (response: Response) => response.headers.get("x-middleware-next") === "1";

async function expectSentToWait(path: string, cookie: string | undefined, next: string) {
  const response = await proxy(request(path, cookie));
  expect(passedThrough(response), `${path} went through`).toBe(false);
  expect(response.status).toBe(307);
  expect(response.headers.get("location")).toBe(`http://shop.test/wait/default?next=${encodeURIComponent(next)}`);
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("proxy: the protected path", () => {
  it("sends a visitor without an admission cookie to the waiting page, keeping where they were going", async () => {
    await expectSentToWait("/shop", undefined, "/shop");
    await expectSentToWait("/shop/item/tidewater-runner?size=42", undefined, "/shop/item/tidewater-runner?size=42");
    // Another room's cookie name, or an empty one, is no admission either.
    await expectSentToWait("/shop", "fga_other=abc; fga_default=", "/shop");
  });

  it("lets a path no room protects through untouched", async () => {
    const response = await proxy(request("/about"));
    expect(passedThrough(response)).toBe(true);
  });

  it("refuses a forged cookie and lets a slot holder in, until the visitor has left", async () => {
    const { engine } = floodgate;
    const inside = await engine.enter("default", undefined);
    const next = await engine.enter("default", undefined);
    const admission = inside.admissionToken ?? "";
    expect(admission, "the first visitor is admitted on arrival").not.toBe("");
    expect(next.admissionToken ?? null, "the second waits").toBeNull();

    // Forged: the genuine token with its payload edited, and one signed by nobody.
    const [header, payload, signature] = admission.split(".");
    const edited = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...edited, sub: "someone-else" })).toString("base64url");
    await expectSentToWait("/shop", `fga_default=${header}.${forgedPayload}.${signature}`, "/shop");
    await expectSentToWait("/shop", "fga_default=not-a-token", "/shop");

    for (const path of ["/shop", "/shop/item/tidewater-runner"]) {
      const response = await proxy(request(path, `fga_default=${admission}`));
      expect(passedThrough(response), `${path} with the slot holder's cookie`).toBe(true);
    }

    await engine.leave("default", inside.token);
    clock.advance(leaveGraceMs + 1);
    await engine.tick();
    // The token is still well signed and unexpired, but its slot went to the next visitor.
    await expectSentToWait("/shop", `fga_default=${admission}`, "/shop");
    const { admissionToken } = await engine.heartbeat("default", next.token);
    expect(passedThrough(await proxy(request("/shop", `fga_default=${admissionToken}`)))).toBe(true);
    await engine.leave("default", next.token);
  });
});

describe("proxy: the console", () => {
  it("sends a signed-out person to sign-in, keeping where they were going", async () => {
    const response = await proxy(request("/admin/rooms/default?tab=tokens"));
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.pathname).toBe("/admin/sign-in");
    expect(location.searchParams.get("callbackUrl")).toBe("/admin/rooms/default?tab=tokens");
    expect(response.headers.get("content-security-policy")).toBeNull();
  });

  it.each([
    ["the sign-in page, signed out", "/admin/sign-in", undefined],
    ["a console page with a session cookie", "/admin", "next-auth.session-token=some-session"],
  ])("gives %s a Content-Security-Policy with a fresh nonce", async (_name, path, cookie) => {
    const first = await proxy(request(path, cookie));
    const second = await proxy(request(path, cookie));
    expect(passedThrough(first)).toBe(true);
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=_-]+'/);
    // Next.js reads the policy from the request it forwards, to put the nonce on its scripts.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
  });
});
