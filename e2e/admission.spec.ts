import { expect, isHeartbeat, shopAnswers, test, type Visitor } from "./fixtures";
import { createOriginCensus, describeCensus } from "./origin-census";
import { admissionCookie, shopUrl, waitingPageUrl } from "./settings";

// One slot, three people. The slot must pass on when the person inside closes the tab (a
// goodbye beacon) and when they go silent (heartbeat timeout), and never be held by two: counted
// by the engine, and from outside by the shop itself (e2e/origin-census.ts), which is asked all
// along which of the visitors' admission cookies it lets in, those of people who left included.

test("the slot passes to the next person when the one inside closes the tab or goes silent", async ({
  visitor,
  room,
  baseURL,
}) => {
  const { heartbeatIntervalMs, heartbeatTimeoutMs } = room.settings;
  const before = await room.stats();
  const census = createOriginCensus({ baseUrl: baseURL as string, cookieName: admissionCookie });
  const counted = async (name: string) => {
    const v = await visitor(name);
    census.watch(name, () => v.cookie(admissionCookie));
    return v;
  };
  census.start();

  const alice = await counted("Alice");
  await test.step("Alice opens the shop and is let in (the room is empty)", async () => {
    await alice.page.goto("/shop");
    await expect(alice.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
    await expect(alice.page).toHaveURL(shopUrl);
    await expect(alice.page.getByTestId("shop-banner")).toBeVisible();
  });

  const bob = await counted("Bob");
  await test.step("Bob opens the shop and is put first in line", async () => {
    await bob.page.goto("/shop");
    await expect(bob.page).toHaveURL(waitingPageUrl);
    await expect(bob.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(bob.page.getByTestId("wait-position")).toHaveText("1");
    await expect(bob.page.getByTestId("wait-ahead")).toHaveText("0");
    // Nobody was ahead of him when he came: no progress to show, rather than a bar at 0%.
    await expect(bob.page.getByTestId("wait-progress")).toHaveCount(0);
    // Nobody has finished a visit yet and the demo room sets no typical visit: when Alice will
    // leave is anybody's guess, so Bob is told it is being worked out, not a made-up time.
    const eta = bob.page.getByTestId("wait-eta");
    await expect(eta).toBeVisible();
    await expect(eta).toHaveAttribute("data-eta-kind", "unknown");
    await expect(eta).toHaveText("Estimating…");
    expect(await room.stats()).toMatchObject({ active: 1, waiting: 1 });
  });

  await test.step("Bob keeps his place while Alice is inside", async () => {
    // Two heartbeats later he is still first in line, and still outside.
    for (let beat = 0; beat < 2; beat++) {
      const response = await bob.page.waitForResponse((r) => isHeartbeat(r.url()));
      expect(response.status()).toBe(200);
    }
    await expect(bob.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(bob.page.getByTestId("shop-title")).toHaveCount(0);
  });

  await test.step("Alice closes her tab; Bob is let in within seconds", async () => {
    // Her latest cookie (each heartbeat renews it): unexpired for a heartbeat timeout yet.
    const aliceAdmission = await alice.cookie(admissionCookie);
    expect(aliceAdmission, "Alice's admission cookie").toBeTruthy();
    await alice.closeTab();
    // Leave grace + a heartbeat + the "It's your turn" pause, well under the silence timeout.
    await expect(bob.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
    await expect(bob.page).toHaveURL(shopUrl);
    const after = await room.stats();
    // Alice's slot was freed by her goodbye, not by her going silent.
    expect(after.leftTotal - before.leftTotal, "visitors who left").toBe(1);
    expect(after.expiredTotal - before.expiredTotal, "visitors expired").toBe(0);
    // The slot is Bob's now: Alice's cookie, well signed and unexpired, no longer opens the shop.
    expect(await shopAnswers(baseURL, aliceAdmission), "the shop, with the cookie of Alice who left").toBe(307);
    expect(await shopAnswers(baseURL, await bob.cookie(admissionCookie)), "the shop, with Bob's cookie").toBe(200);
  });

  const carol = await counted("Carol");
  await test.step("Carol opens the shop while Bob is inside and waits first in line", async () => {
    await carol.page.goto("/shop");
    await expect(carol.page).toHaveURL(waitingPageUrl);
    await expect(carol.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(carol.page.getByTestId("wait-position")).toHaveText("1");
  });

  let bobAdmission: string | undefined;
  await test.step("Bob's connection drops; Carol gets the slot once he has been silent for the timeout", async () => {
    const beforeSilence = await room.stats();
    bobAdmission = await bob.cookie(admissionCookie);
    await bob.loseConnection();
    const cutAt = Date.now();
    // Bob's page notices and says so.
    await expect(bob.page.getByTestId("shop-banner")).toHaveAttribute("data-reconnecting", "true", {
      timeout: 3 * heartbeatIntervalMs,
    });
    await expect(carol.page.getByTestId("shop-title")).toBeVisible({ timeout: heartbeatTimeoutMs + 6_000 });
    await expect(carol.page).toHaveURL(shopUrl);
    // Bob's last heartbeat went out at most one interval before the cut, so Carol cannot be
    // in before (timeout - interval) has passed; earlier would mean silence is cut short.
    expect(Date.now() - cutAt, "ms from Bob's silence to Carol in the shop").toBeGreaterThanOrEqual(
      heartbeatTimeoutMs - heartbeatIntervalMs - 500,
    );
    const after = await room.stats();
    expect(after.expiredTotal - beforeSilence.expiredTotal, "visitors expired").toBe(1);
    expect(after.leftTotal - beforeSilence.leftTotal, "visitors who left").toBe(0);
    expect(after).toMatchObject({ active: 1, waiting: 0 });
    expect(await shopAnswers(baseURL, bobAdmission), "the shop, with the cookie of Bob who went silent").toBe(307);
  });

  await test.step("Bob's connection comes back; reloading the shop sends him back in line behind Carol", async () => {
    await bob.restoreConnection();
    // His shop page may notice first that he is no longer inside and go to the waiting page by
    // itself; that navigation can abort the reload. Either way he must end up in line.
    await bob.page.reload().catch((error: Error) => {
      if (!/ERR_ABORTED|frame was detached/.test(error.message)) throw error;
    });
    await expect(bob.page).toHaveURL(waitingPageUrl);
    await expect(bob.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
    await expect(bob.page.getByTestId("wait-position")).toHaveText("1");
  });

  await test.step("Never more than one person inside at once, as the engine and the shop count", async () => {
    const after = await room.stats();
    expect(after.maxActiveObserved).toBeLessThanOrEqual(room.settings.capacity);
    expect(after.admittedTotal - before.admittedTotal, "admissions: Alice, Bob, Carol").toBe(3);
    const report = await census.stop();
    const line = describeCensus(report);
    test.info().annotations.push({ type: "origin census", description: line });
    // Each of the three admissions was seen opening the shop, so the count below is not empty.
    expect(
      report.admissions.filter((a) => a.acceptedProbes > 0).map((a) => a.label),
      line,
    ).toEqual(expect.arrayContaining(["Alice", "Bob", "Carol"]));
    expect(report.maxAccepted, line).toBeLessThanOrEqual(room.settings.capacity);
  });
});

test("closing two shop tabs at once frees one slot, not two", async ({ visitor, room, baseURL }) => {
  const census = createOriginCensus({ baseUrl: baseURL as string, cookieName: admissionCookie });
  const counted = async (name: string): Promise<Visitor> => {
    const v = await visitor(name);
    census.watch(name, () => v.cookie(admissionCookie));
    return v;
  };
  census.start();
  const dana = await counted("Dana");
  await dana.page.goto("/shop");
  await expect(dana.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });
  const secondTab = await dana.context.newPage();
  await secondTab.goto("/shop/item/tidewater-runner");
  await expect(secondTab.getByTestId("shop-title")).toHaveText("Tidewater Runner");

  const eve = await counted("Eve");
  await eve.page.goto("/shop");
  await expect(eve.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  const frank = await counted("Frank");
  await frank.page.goto("/shop");
  await expect(frank.page.getByTestId("wait-position")).toHaveText("2");

  // Both of Dana's pages say goodbye for the same place, a few milliseconds apart.
  await Promise.all([dana.page.close({ runBeforeUnload: true }), secondTab.close({ runBeforeUnload: true })]);
  await expect(eve.page.getByTestId("shop-title")).toBeVisible({ timeout: 10_000 });

  // One slot came free, so Frank moves up to first in line and stays outside.
  await expect(frank.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  for (let beat = 0; beat < 2; beat++) {
    const response = await frank.page.waitForResponse((r) => isHeartbeat(r.url()));
    expect(await response.json()).toMatchObject({ state: "waiting", position: 1 });
  }
  const stats = await room.stats();
  expect(stats, "Eve inside, Frank in line").toMatchObject({ active: 1, waiting: 1 });
  const report = await census.stop();
  const line = describeCensus(report);
  expect(
    report.admissions.filter((a) => a.acceptedProbes > 0).map((a) => a.label),
    line,
  ).toEqual(["Dana", "Eve"]);
  expect(report.maxAccepted, line).toBe(1);
});
