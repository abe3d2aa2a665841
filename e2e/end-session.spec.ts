import { request as playwrightRequest } from "@playwright/test";
import { signInApi } from "./console";
import { aliceInsideBobWaiting, expect, shopAnswers, test } from "./fixtures";
import { adminAccount, admissionCookie, shopUrl } from "./settings";

// A shopper who is done gives their spot to the next person in line at once: from the shop's
// own page ("I'm done"), or from the shop's server after checkout (the end-session trigger with
// an API key). One slot, two people: the one inside finishes, the one waiting walks in.

test("the shop's \"I'm done\" button frees the slot for the next visitor at once", async ({
  visitor,
  room,
  baseURL,
}) => {
  const before = await room.stats();
  const { alice, bob } = await aliceInsideBobWaiting(visitor, "/shop/item/tidewater-runner");

  const aliceAdmission = await test.step("Alice buys a pair and says she is done", async () => {
    await alice.page.getByRole("radio", { name: "270" }).check();
    await alice.page.getByTestId("shop-buy").click();
    await expect(alice.page.getByTestId("shop-confirmation")).toBeVisible();
    const admission = await alice.cookie(admissionCookie);
    await alice.page.getByRole("button", { name: "I'm done, let the next person in" }).click();
    await expect(alice.page.getByTestId("shop-finished")).toContainText(
      "Your spot has gone to the next person in line.",
    );
    await expect(alice.page.getByTestId("shop-banner")).toHaveText("Your visit has ended.");
    // The shop is behind the line again: no way back in but the line.
    await expect(alice.page.getByRole("link", { name: "Back to the drop" })).toHaveCount(0);
    return admission;
  });

  await test.step("Bob walks in well before Alice's page could have gone quiet", async () => {
    const startedAt = Date.now();
    await expect(bob.page.getByTestId("shop-title")).toBeVisible({ timeout: 5_000 });
    await expect(bob.page).toHaveURL(shopUrl);
    // A held heartbeat is answered at the admission: no wait for a grace or a timeout.
    expect(Date.now() - startedAt).toBeLessThan(room.settings.heartbeatTimeoutMs);
    const after = await room.stats();
    expect(after.leftTotal - before.leftTotal, "visitors who left").toBe(1);
    expect(after.expiredTotal - before.expiredTotal, "visitors expired").toBe(0);
    expect(after.active).toBe(1);
  });

  await test.step("Alice stays on her thank-you page; her old admission no longer opens the shop", async () => {
    await alice.page.waitForTimeout(room.settings.heartbeatIntervalMs * 2);
    await expect(alice.page).toHaveURL(/\/shop\/item\/tidewater-runner$/);
    expect(await alice.cookie(admissionCookie)).toBeFalsy();
    expect(await shopAnswers(baseURL, aliceAdmission)).toBe(307);
  });
});

test("the shop's server ends a session after checkout with an API key; the shopper's page goes back to the line", async ({
  visitor,
  room,
  baseURL,
}) => {
  const admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  const created = await admin.post("/api/admin/api-keys", {
    data: { name: `checkout ${Date.now()}`, rooms: [room.id] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { secret } = await created.json();
  await admin.dispose();

  const { alice, bob } = await aliceInsideBobWaiting(visitor);

  await test.step("the shop's server ends Alice's session with the admission cookie it was sent", async () => {
    const admissionToken = await alice.cookie(admissionCookie);
    const shopServer = await playwrightRequest.newContext({ baseURL });
    const call = () =>
      shopServer.post("/api/triggers/end-session", {
        headers: { authorization: `Bearer ${secret}` },
        data: { room: room.id, admissionToken },
      });
    expect((await call()).status()).toBe(204);
    // A retry (the shop's own network hiccup) changes nothing.
    expect((await call()).status()).toBe(204);
    await shopServer.dispose();
  });

  await test.step("Bob is let in, and Alice's shop page sends her to the waiting room, which says the site ended her visit", async () => {
    await expect(bob.page.getByTestId("shop-title")).toBeVisible({ timeout: 5_000 });
    await expect(alice.page).toHaveURL(/\/wait\/default\?next=%2Fshop$/, { timeout: 5_000 });
    await expect(alice.page.getByTestId("wait-state")).toHaveAttribute("data-state", "siteEnded");
    await alice.page.getByRole("button", { name: "Get a new place" }).click();
    await expect(alice.page.getByTestId("wait-state")).toHaveAttribute("data-state", /^(waiting|next)$/);
  });
});
