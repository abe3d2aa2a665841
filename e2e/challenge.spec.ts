import path from "node:path";
import { type APIRequestContext, request as playwrightRequest } from "@playwright/test";
import { signInApi, signInPage } from "./console";
import { expect, saveScreenshot, test } from "./fixtures";
import { adminAccount } from "./settings";

// Bot defence as people meet it. A pow room: a script's plain enter is refused with a challenge,
// while a real browser solves it behind "Checking your browser…" (at the room's default
// difficulty) and takes its place. The infinite line: once the operator blocks a network and
// turns the infinite line on, an arrival from it sees an ordinary waiting page whose place never
// moves, while the real line moves on and the console counts it apart. (Every browser here
// connects from 127.0.0.1, so the range is blocked only once the real visitors are in.)

const checkpoint = {
  id: "checkpoint",
  name: "Checkpoint",
  capacity: 1,
  heartbeatIntervalMs: 2_000,
  heartbeatTimeoutMs: 60_000,
  maxQueueLength: 1_000,
  mode: "fifo",
  protectedPaths: ["/checkpoint"],
  challenge: "pow",
} as const;

const velvet = {
  ...checkpoint,
  id: "velvet",
  name: "Velvet rope",
  protectedPaths: ["/velvet"],
  challenge: "off",
} as const;

let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  await signInApi(admin, adminAccount.email, adminAccount.password);
  for (const room of [checkpoint, velvet]) {
    await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
    const created = await admin.post("/api/admin/rooms", { data: room });
    expect(created.status(), await created.text()).toBe(201);
  }
});

test.afterAll(async () => {
  if (!admin) return;
  for (const room of [checkpoint, velvet]) await admin.delete(`/api/admin/rooms/${room.id}?force=true`);
  await admin.dispose();
});

test("a pow room: a plain enter is refused with a challenge; a real page solves it and takes its place", async ({
  visitor,
  baseURL,
}, testInfo) => {
  await test.step("a script posting enter with no solution gets 403 challenge_required and no place", async () => {
    const script = await playwrightRequest.newContext({ baseURL });
    const refused = await script.post(`/api/queue/${checkpoint.id}/enter`);
    expect(refused.status()).toBe(403);
    const body = await refused.json();
    expect(body.error.code).toBe("challenge_required");
    expect(body.error.challenge.parameters).toMatchObject({ algorithm: "SHA-256", data: { room: checkpoint.id } });
    expect(refused.headers()["set-cookie"]).toBeUndefined();
    const stats = (await (await admin.get(`/api/admin/rooms/${checkpoint.id}`)).json()).room.stats;
    expect(stats).toMatchObject({ arrivedTotal: 0, waiting: 0 });
    await script.dispose();
  });

  const first = await visitor("First");
  await test.step("a real browser shows the check, solves it in workers and is let in", async () => {
    // Every state the card shows, as the person would see them go by.
    await first.page.addInitScript(() => {
      const seen: { state: string; at: number }[] = [];
      (window as unknown as { statesSeen: typeof seen }).statesSeen = seen;
      new MutationObserver(() => {
        const state = document.querySelector("[data-testid=wait-state]")?.getAttribute("data-state");
        if (state && seen.at(-1)?.state !== state) seen.push({ state, at: performance.now() });
      }).observe(document, { subtree: true, attributes: true, childList: true });
    });
    const solved = first.page.waitForRequest(
      (r) => r.url().includes(`/api/queue/${checkpoint.id}/enter`) && (r.postData() ?? "").includes('"pow"'),
    );
    await first.page.goto(`/wait/${checkpoint.id}`);
    await solved;
    await expect(first.page).toHaveURL(/\/checkpoint$/, { timeout: 15_000 });
    const seen = await first.page.evaluate(
      () => (window as unknown as { statesSeen: { state: string; at: number }[] }).statesSeen,
    );
    const states = seen.map((s) => s.state);
    expect(states).toContain("checking");
    const checking = seen.find((s) => s.state === "checking");
    const after = seen[seen.indexOf(checking as (typeof seen)[number]) + 1];
    if (checking && after) {
      testInfo.annotations.push({
        type: "pow solve",
        description: `checking shown ${Math.round(after.at - checking.at)} ms at difficulty 50,000 (then ${after.state})`,
      });
    }
  });

  await test.step("a second browser sees the check in its own language, then its place in line", async () => {
    const second = await visitor("Second", { locale: "ja-JP" });
    await second.context.route(`**/api/queue/${checkpoint.id}/enter`, async (route) => {
      // Slow the answer down a little so the check can be seen and pictured.
      if ((route.request().postData() ?? "").includes('"pow"')) await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await second.page.goto(`/wait/${checkpoint.id}`);
    await expect(second.page.getByTestId("wait-state")).toHaveAttribute("data-state", "checking");
    await expect(second.page.getByRole("heading", { level: 1 })).toHaveText("ブラウザを確認しています…");
    await saveScreenshot(second.page, "challenge-checking-ja", testInfo);
    await expect(second.page.getByTestId("wait-position")).toHaveText("1", { timeout: 15_000 });
    const stats = (await (await admin.get(`/api/admin/rooms/${checkpoint.id}`)).json()).room.stats;
    expect(stats).toMatchObject({ arrivedTotal: 2, challenges: { solved: 2, forged: 0 } });
  });
});

test("a pow room without JavaScript says the check needs it, and does not reload for nothing", async ({ visitor }) => {
  const noScript = await visitor("No script", { javaScriptEnabled: false });
  await noScript.page.goto(`/wait/${checkpoint.id}`);
  // Playwright's text engine skips <noscript>, so the note is found by structure.
  const notice = noScript.page.locator("noscript p");
  await expect(notice).toHaveCount(1);
  expect(await notice.textContent()).toMatch(/^This waiting room checks your browser before it gives a place/);
  await expect(noScript.page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  expect(await noScript.cookie(`fgq_${checkpoint.id}`)).toBeUndefined();
});

test("the infinite line: a blocked network sees an ordinary page whose place never moves", async ({
  browser,
  visitor,
  baseURL,
}, testInfo) => {
  // Someone inside (as a long admission), and a fan first in line.
  const inside = await playwrightRequest.newContext({ baseURL });
  expect((await (await inside.post(`/api/queue/${velvet.id}/enter`)).json()).status.state).toBe("admitted");
  const fan = await visitor("Fan");
  await fan.page.goto(`/wait/${velvet.id}`);
  await expect(fan.page.getByTestId("wait-position")).toHaveText("1");

  const desk = await signInPage(browser, adminAccount);
  await test.step("the operator blocks the network and sends it to the infinite line", async () => {
    await desk.goto(`/admin/rooms/${velvet.id}`);
    await desk.getByLabel("Blocked addresses").fill("127.0.0.0/8");
    await desk.getByLabel("Send suspicious arrivals to the infinite line").check();
    await desk.getByRole("button", { name: "Save settings" }).click();
    const dialog = desk.getByRole("dialog", { name: `Save 2 changes to ${velvet.name}?` });
    await expect(dialog).toContainText("Blocked addresses: none → 127.0.0.0/8");
    await expect(dialog).toContainText("Infinite line for suspicious arrivals: off → on");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await expect(desk.getByText("Settings saved.")).toBeVisible();
  });

  const bot = await visitor("Bot");
  await test.step("an arrival from the blocked network gets what looks like a place, second in line", async () => {
    await bot.page.goto(`/wait/${velvet.id}`);
    await expect(bot.page.getByTestId("wait-state")).toHaveAttribute("data-state", "waiting");
    await expect(bot.page.getByTestId("wait-position")).toHaveText("2");
    await expect(bot.page.getByText(/^[2-9A-Z]{4}-[2-9A-Z]{2}$/)).toBeVisible();
    await saveScreenshot(bot.page, "infinite-line", testInfo);
  });

  await test.step("the line moves on without it: the fan goes in, the bot stays second, heartbeat after heartbeat", async () => {
    expect((await inside.post(`/api/queue/${velvet.id}/end-session`)).status()).toBe(204);
    await expect(fan.page).toHaveURL(/\/velvet$/, { timeout: 5_000 });
    for (let beats = 0; beats < 3; beats++) {
      await bot.page.waitForResponse((r) => r.url().includes(`/api/queue/${velvet.id}/heartbeat`));
    }
    await expect(bot.page.getByTestId("wait-position")).toHaveText("2");
    await expect(bot.page).toHaveURL(new RegExp(`/wait/${velvet.id}`));
  });

  await test.step("the console counts it apart: nobody really waiting, one in the infinite line", async () => {
    await desk.reload();
    const panel = desk.getByTestId("bot-defence");
    await expect(panel.getByTestId("infinite-line-held")).toHaveText("1");
    await expect(panel.getByTestId("infinite-line-sent")).toContainText("1 blocked address");
    const stats = (await (await admin.get(`/api/admin/rooms/${velvet.id}`)).json()).room.stats;
    expect(stats).toMatchObject({ waiting: 0, active: 1, infiniteLine: { held: 1, blocked: 1 } });
    const file = path.join(testInfo.project.outputDir, "screenshots", "console-bot-defence.png");
    await panel.screenshot({ path: file, animations: "disabled" });
    await testInfo.attach("console-bot-defence", { path: file, contentType: "image/png" });
  });
  await desk.context().close();
  await inside.dispose();
});
