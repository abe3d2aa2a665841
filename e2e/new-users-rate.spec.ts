import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { signInApi } from "./console";
import { expect, test } from "./fixtures";
import { adminAccount } from "./settings";

// A drop whose checkout breaks on new sessions: plenty of capacity, but at most 6 new visitors
// a minute. A crowd of 20 arrives at once; they are let in one every 10 seconds, and the
// person watching their waiting page is told a wait that matches that pace, not capacity.

const drop = {
  id: "paced-drop",
  name: "Paced drop",
  capacity: 100,
  newUsersPerMinute: 6,
  heartbeatIntervalMs: 2_000,
  heartbeatTimeoutMs: 120_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/paced"],
} as const;

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const created = await admin.post("/api/admin/rooms", { data: drop });
  expect([201, 409], await created.text()).toContain(created.status());
});

test.afterAll(async () => {
  if (!admin) return;
  await admin.delete(`/api/admin/rooms/${drop.id}?force=true`);
  await admin.dispose();
});

async function admitted(): Promise<number> {
  const response = await admin.get(`/api/admin/rooms/${drop.id}`);
  return (await response.json()).room.stats.admittedTotal;
}

test("a room at 6 new visitors a minute lets a crowd of 20 in at that pace, and the ETA says so", async ({
  visitor,
  baseURL,
}) => {
  // Nineteen people, each with their own cookies, arrive within a second.
  const firstAt = Date.now();
  for (let i = 0; i < 19; i++) {
    const person = await playwrightRequest.newContext({ baseURL });
    const entered = await person.post(`/api/queue/${drop.id}/enter`);
    expect(entered.status()).toBe(201);
    await person.dispose();
  }

  const dana = await visitor("Dana");
  await test.step("the twentieth arrival waits behind 18, told a wait of about 3 minutes (rounded up)", async () => {
    await dana.page.goto(`/wait/${drop.id}`);
    await expect(dana.page.getByTestId("wait-position")).toHaveText("19");
    // Her turn is the 19th at 6 a minute, about 190 s away, though 99 slots are free; the page
    // rounds waits up, so "About 4 minutes". Without the limit it would say "Less than a minute".
    await expect(dana.page.getByTestId("wait-eta")).toHaveText("About 4 minutes");
    // Beside it, the pace that estimate assumes: the limit's, not the one let in so far.
    await expect(dana.page.getByText("Admissions per minute: 6")).toBeVisible();
  });

  await test.step("they are let in one every 10 seconds, never faster", async () => {
    expect(await admitted()).toBe(1);
    const observed: { at: number; admitted: number }[] = [];
    while (Date.now() - firstAt < 25_000) {
      observed.push({ at: Date.now() - firstAt, admitted: await admitted() });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const { at, admitted: count } of observed) {
      // By `at`, at most one per started 10 s (the first at 0); at least one fewer (a tick late).
      expect(count, `admitted by ${at} ms`).toBeLessThanOrEqual(Math.floor(at / 10_000) + 1);
      expect(count, `admitted by ${at} ms`).toBeGreaterThanOrEqual(Math.floor((at - 1_000) / 10_000) + 1);
    }
    await expect(dana.page.getByTestId("wait-position")).toHaveText("17", { timeout: 5_000 });
  });
});
