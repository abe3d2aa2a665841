import http from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page, Response } from "@playwright/test";
import { saveScreenshot as capture, expect, test } from "./fixtures";
import { adminAccount, waitingPageUrl } from "./settings";

// Issue 11, item 8: the console and its sign-in page cannot be framed by another site, every
// page carries a Content-Security-Policy that fits it, and the pages work under it: a real
// browser loads them, signs in, moves around, and reports not one policy violation.

type Violation = { directive: string; blocked: string; source: string };

/**
 * Collects what the browser says about the policy: the `securitypolicyviolation` event of every
 * document in this context, console messages that name the policy, and uncaught page errors.
 */
async function watchPolicy(context: BrowserContext): Promise<{ problems: string[]; watch(page: Page): void }> {
  const problems: string[] = [];
  await context.exposeBinding("reportPolicyViolation", ({ page }, violation: Violation) => {
    problems.push(`${page.url()}: ${violation.directive} blocked ${violation.blocked} (${violation.source})`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportPolicyViolation(v: Violation): void }).reportPolicyViolation;
      report({ directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile });
    });
  });
  return {
    problems,
    watch(page) {
      page.on("console", (message) => {
        if (/content security policy|refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    },
  };
}

function expectConsoleHeaders(response: Response | null) {
  expect(response, "a response").not.toBeNull();
  const headers = (response as Response).headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/);
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(policy).toContain("form-action 'self'");
  expect(policy).not.toMatch(/https?:\/\//);
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  return policy;
}

function expectPublicHeaders(response: Response | null) {
  expect(response, "a response").not.toBeNull();
  const headers = (response as Response).headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'self'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(policy).toContain("form-action 'self'");
  expect(policy).not.toMatch(/https?:\/\//);
  expect(headers["x-frame-options"]).toBe("SAMEORIGIN");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
}

test("the sign-in page and the console run under their policy with no violation", async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const policy = await watchPolicy(context);
  const page = await context.newPage();
  policy.watch(page);

  const signInResponse = await page.goto("/admin/sign-in");
  const firstPolicy = expectConsoleHeaders(signInResponse);
  // Next.js put this response's nonce on its scripts (the DOM hides the attribute, not the property).
  const nonce = /'nonce-([^']+)'/.exec(firstPolicy)?.[1];
  const nonced = await page.evaluate(() => [...document.scripts].map((script) => script.nonce));
  expect(nonced.length).toBeGreaterThan(0);
  expect(nonced.every((n) => n === nonce)).toBe(true);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await capture(page, "csp-sign-in", testInfo);

  // A nonce is good for one response only.
  const again = expectConsoleHeaders(await page.reload());
  expect(again).not.toBe(firstPolicy);

  await page.getByLabel("Email").fill(adminAccount.email);
  await page.getByLabel("Password").fill(adminAccount.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("room-card-default")).toBeVisible();

  // The dashboard loaded fresh (not only through the client router) has the headers too.
  expectConsoleHeaders(await page.reload());
  await expect(page.getByTestId("room-card-default").getByTestId("capacity")).toHaveText(/\d/);
  await capture(page, "csp-dashboard", testInfo);

  // Client-side navigation loads more chunks ('strict-dynamic' trusts them) and draws recharts SVG.
  await page.getByTestId("room-card-default").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/admin\/rooms\/default$/);
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible({ timeout: 15_000 });
  await capture(page, "csp-room", testInfo);

  expect(policy.problems).toEqual([]);

  // Control: an injected inline handler does not run in the console, and the watcher sees the
  // refusal (so the empty list above means something).
  await page.evaluate(() =>
    document.body.insertAdjacentHTML("beforeend", '<img src="/no-such-image.png" onerror="window.__injected = true">'),
  );
  await expect.poll(() => policy.problems.join("\n")).toMatch(/script-src/);
  expect(await page.evaluate(() => "__injected" in window)).toBe(false);
  await context.close();
});

test("the shop and the waiting page run under the public policy with no violation", async ({ visitor }, testInfo) => {
  // One slot: the first visitor takes it, so the second one sees the waiting page.
  const inside = await visitor("Inside");
  const insidePolicy = await watchPolicy(inside.context);
  insidePolicy.watch(inside.page);
  const shop = await inside.page.goto("/shop");
  await expect(inside.page.getByTestId("shop-title")).toBeVisible();
  expectPublicHeaders(shop);

  const waiting = await visitor("Waiting");
  const waitingPolicy = await watchPolicy(waiting.context);
  waitingPolicy.watch(waiting.page);
  const waitResponse = waiting.page.waitForResponse((r) => new URL(r.url()).pathname === "/wait/default");
  await waiting.page.goto("/shop");
  await expect(waiting.page).toHaveURL(waitingPageUrl);
  expectPublicHeaders(await waitResponse);
  await expect(waiting.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");
  await capture(waiting.page, "csp-waiting", testInfo);

  expect(insidePolicy.problems).toEqual([]);
  expect(waitingPolicy.problems).toEqual([]);

  // Control: nothing is fetched from another host (https: images aside, for a room's logo), and
  // the watcher sees the refusals.
  await waiting.page.evaluate(() => {
    document.body.insertAdjacentHTML("beforeend", '<img src="http://tracker.example/pixel.png" alt="">');
    void fetch("https://tracker.example/beacon").catch(() => undefined);
  });
  await expect.poll(() => waitingPolicy.problems.join("\n")).toMatch(/img-src blocked http:\/\/tracker\.example/);
  await expect.poll(() => waitingPolicy.problems.join("\n")).toMatch(/connect-src blocked https:\/\/tracker\.example/);
});

test("another site cannot frame the sign-in page (nor the console, nor the waiting page)", async ({
  browser,
  baseURL,
}) => {
  // A page on another origin (another port) that frames ours, plus one frame of its own as a
  // control: the control loads, so a blocked frame is the policy's doing, not the harness's.
  const targets = ["/admin/sign-in", "/admin", "/wait/default"];
  const attacker = http.createServer((req, res) => {
    if (req.url === "/own") {
      res.writeHead(200, { "content-type": "text/html" }).end("<p id=own>attacker's own frame</p>");
      return;
    }
    const frames = targets.map((path, i) => `<iframe id=f${i} src="${baseURL}${path}"></iframe>`).join("");
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<!doctype html>${frames}<iframe id=own src="/own"></iframe>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  expect(new URL(attackerUrl).origin).not.toBe(new URL(baseURL as string).origin);

  const context = await browser.newContext();
  const page = await context.newPage();
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/frame-ancestors|X-Frame-Options/i.test(message.text())) refusals.push(message.text());
  });
  try {
    // The frames' own documents are answered (the server does not know who frames it)...
    const answered = targets.map((path) =>
      page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().frame() !== page.mainFrame()),
    );
    await page.goto(attackerUrl);
    await Promise.all(answered);
    await expect(page.frameLocator("#own").locator("#own")).toHaveText("attacker's own frame");
    // ...but the browser refuses to show them: nothing of ours renders inside.
    await expect(page.frameLocator("#f0").getByRole("button", { name: "Sign in" })).toHaveCount(0);
    await expect(page.frameLocator("#f0").getByLabel("Password")).toHaveCount(0);
    await expect(page.frameLocator("#f2").getByTestId("wait-state")).toHaveCount(0);
    await expect.poll(() => refusals.length).toBeGreaterThanOrEqual(targets.length);
    for (const [i] of targets.entries()) {
      const frame = await (await page.$(`#f${i}`))?.contentFrame();
      expect(frame?.url() ?? "", targets[i]).not.toContain(new URL(baseURL as string).host);
    }
  } finally {
    await context.close();
    attacker.close();
  }
});
