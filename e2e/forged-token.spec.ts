import type { JWK } from "jose";
import { expect, test } from "./fixtures";
import { forgeAdmissionTokens, forgeQueueToken } from "./forge";
import { admissionCookie, queueCookie, shopUrl, waitingPageUrl } from "./settings";

// Nobody gets into the shop with an admission cookie the server did not sign, and nothing
// a client sends to the public queue API makes it fail (500) or answer off-contract.

test("forged admission cookies lead to the waiting page, never the shop", async ({
  visitor,
  request,
  baseURL,
  browser,
}) => {
  if (!baseURL) throw new Error("baseURL is required");
  // Someone is inside, so the only way into the shop would be the forged cookie itself.
  const occupant = await visitor("Occupant");
  await occupant.page.goto("/shop");
  await expect(occupant.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
  const genuine = await occupant.cookie(admissionCookie);
  expect(genuine, "the occupant's admission cookie").toBeTruthy();

  const jwks = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: JWK[] };
  const [serverKey] = jwks.keys;
  if (!serverKey) throw new Error("JWKS has no key");
  const forgeries = await forgeAdmissionTokens({ genuine: genuine ?? "", serverKey });

  // The positive control: the same steps with the genuine cookie, in a browser that has nothing
  // else (no queue cookie), do open the shop. Without it every refusal below could come from
  // something other than the forgery (a wrong cookie name or URL, a shop that opens for nobody).
  // Run before the forgeries and after them, so the occupant still held the slot throughout.
  // The occupant's cookie as it is then: each heartbeat renews it, and it lives one timeout.
  const genuineControl = async (when: string) => {
    const current = await occupant.cookie(admissionCookie);
    await test.step(`control (${when}): the genuine admission cookie, alone in a fresh browser, opens the shop`, async () => {
      // Without JavaScript: the shop's own heartbeat (it has no queue cookie here) would send this
      // browser to the waiting page and into line, which is not what is being checked.
      const context = await browser.newContext({ javaScriptEnabled: false });
      await context.addCookies([
        { name: admissionCookie, value: current ?? "", url: baseURL, httpOnly: true, sameSite: "Lax" },
      ]);
      for (const path of ["/shop", "/shop/item/tidewater-runner"]) {
        const response = await context.request.get(path, { maxRedirects: 0 });
        expect(response.status(), `GET ${path} with the genuine cookie`).toBe(200);
      }
      const page = await context.newPage();
      await page.goto("/shop");
      await expect(page).toHaveURL(shopUrl);
      await expect(page.getByTestId("shop-title")).toBeVisible();
      // Closed without a goodbye: this browser holds no place of its own to give up.
      await context.close();
    });
  };
  await genuineControl("before");

  for (const forgery of forgeries) {
    await test.step(`admission cookie ${forgery.name}`, async () => {
      const forger = await visitor(`Forger: ${forgery.name}`);
      await forger.context.addCookies([
        { name: admissionCookie, value: forgery.token, url: baseURL, httpOnly: true, sameSite: "Lax" },
      ]);

      // The guard answers before any page renders, for the shop and everything under it.
      for (const path of ["/shop", "/shop/item/tidewater-runner"]) {
        const response = await forger.context.request.get(path, { maxRedirects: 0 });
        expect(response.status(), `GET ${path}`).toBe(307);
        expect(response.headers().location).toMatch(/\/wait\/default\?next=%2Fshop/);
      }

      // A person opening the shop ends up in line behind the occupant, and stays there.
      await forger.page.goto("/shop");
      await expect(forger.page).toHaveURL(waitingPageUrl);
      await expect(forger.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
      await forger.page.goto("/shop");
      await expect(forger.page).toHaveURL(waitingPageUrl);
      await expect(forger.page.getByTestId("shop-title")).toHaveCount(0);
      await forger.leave();
    });
  }
  await genuineControl("after");
});

type BadInput = {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: (forgedQueueToken: string) => Record<string, string>;
  body?: string;
  status: number;
  code: string;
};

const json = { "content-type": "application/json" };

// biome-ignore format: one case per line reads as a table
const badInputs: BadInput[] = [
  { name: "malformed JSON", method: "POST", path: "/api/queue/default/enter", headers: () => json, body: '{"oops":', status: 400, code: "invalid_body" },
  { name: "JSON that is not an empty object", method: "POST", path: "/api/queue/default/enter", headers: () => json, body: '{"seq":1}', status: 400, code: "invalid_body" },
  { name: "a body over 16 KiB", method: "POST", path: "/api/queue/default/enter", headers: () => json, body: JSON.stringify({ pad: "x".repeat(17 * 1024) }), status: 413, code: "payload_too_large" },
  { name: "a body that is not JSON", method: "POST", path: "/api/queue/default/enter", headers: () => ({ "content-type": "text/html" }), body: "<p>hi</p>", status: 415, code: "unsupported_media_type" },
  { name: "an unknown room", method: "POST", path: "/api/queue/no-such-room/enter", status: 404, code: "room_not_found" },
  { name: "an unknown room's summary", method: "GET", path: "/api/queue/no-such-room", status: 404, code: "room_not_found" },
  { name: "a room id with capitals and symbols", method: "POST", path: "/api/queue/Default_Room!/enter", status: 404, code: "not_found" },
  { name: "a room id over 40 characters", method: "GET", path: `/api/queue/${"a".repeat(41)}`, status: 404, code: "not_found" },
  { name: "a path-traversal room id", method: "GET", path: "/api/queue/..%2F..%2Fetc%2Fpasswd", status: 404, code: "not_found" },
  { name: "an unknown action", method: "POST", path: "/api/queue/default/dance", status: 404, code: "not_found" },
  { name: "the wrong method", method: "GET", path: "/api/queue/default/enter", status: 405, code: "method_not_allowed" },
  { name: "heartbeat without a token", method: "POST", path: "/api/queue/default/heartbeat", status: 401, code: "unauthorized" },
  { name: "status without a token", method: "GET", path: "/api/queue/default/status", status: 401, code: "unauthorized" },
  { name: "heartbeat with a non-bearer Authorization", method: "POST", path: "/api/queue/default/heartbeat", headers: () => ({ authorization: "Basic Zm9vOmJhcg==" }), status: 401, code: "invalid_token" },
  { name: "heartbeat with a malformed queue cookie", method: "POST", path: "/api/queue/default/heartbeat", headers: () => ({ cookie: `${queueCookie}=garbage` }), status: 401, code: "invalid_token" },
  { name: "heartbeat with a forged queue token (bearer)", method: "POST", path: "/api/queue/default/heartbeat", headers: (t) => ({ authorization: `Bearer ${t}` }), status: 401, code: "invalid_token" },
  { name: "heartbeat with a forged queue token (cookie)", method: "POST", path: "/api/queue/default/heartbeat", headers: (t) => ({ cookie: `${queueCookie}=${t}` }), status: 401, code: "invalid_token" },
];

test.describe("the public queue API refuses bad input with a clear error", () => {
  for (const input of badInputs) {
    test(`${input.method} ${input.name} → ${input.status} ${input.code}`, async ({ request, room }) => {
      const before = await room.stats();
      const response = await request.fetch(input.path, {
        method: input.method,
        headers: input.headers?.(await forgeQueueToken()),
        data: input.body,
        maxRedirects: 0,
      });
      expect(response.status()).not.toBe(500);
      expect(response.status()).toBe(input.status);
      expect(response.headers()["content-type"]).toMatch(/^application\/json/);
      expect(response.headers()["x-request-id"]).toBeTruthy();
      const body: unknown = await response.json();
      expect(body).toEqual({ error: { code: input.code, message: expect.any(String) } });
      expect((body as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
      // Refused input takes no place in line.
      expect((await room.stats()).waiting).toBe(before.waiting);
    });
  }
});

test("a place that was given up cannot be heartbeated back to life", async ({ request }) => {
  const entered = await request.post("/api/queue/default/enter");
  expect(entered.status()).toBe(201);
  const { token } = (await entered.json()) as { token: string };
  expect((await request.post("/api/queue/default/leave")).status()).toBe(204);
  // Status does not count as a heartbeat, so asking does not cancel the leave.
  await expect
    .poll(async () => (await request.get("/api/queue/default/status")).status(), { timeout: 5_000 })
    .toBe(410);
  const heartbeat = await request.post("/api/queue/default/heartbeat", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(heartbeat.status()).toBe(410);
  // Left, then silent: the reason says so (not the site, not our side).
  expect(await heartbeat.json()).toEqual({
    error: { code: "token_expired", reason: "timed_out", message: expect.any(String) },
  });
  // The stale cookie is left alone (a reply racing a newer page must not wipe that page's
  // cookie); the browser still gets a new place next time, because enter replaces it.
  const again = await request.post("/api/queue/default/enter");
  expect(again.status()).toBe(201);
  expect(((await again.json()) as { token: string }).token).not.toBe(token);
  expect((await request.post("/api/queue/default/leave")).status()).toBe(204);
});
