import { type APIRequestContext, type Browser, type BrowserContextOptions, expect, type Page } from "@playwright/test";

// Signing in to the console, shared by the console specs: through next-auth's API for setting
// the stage, and through the sign-in page as a person does.

export type Person = { email: string; password: string };

export async function signInApi(api: APIRequestContext, email: string, password: string): Promise<void> {
  const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
  const response = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(response.ok(), `sign in ${email}`).toBe(true);
}

/** A person in a browser of their own (a laptop unless `options` say otherwise), signed in from a bookmark to the console. */
export async function signInPage(
  browser: Browser,
  person: Person,
  timezoneId = "Asia/Seoul",
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId, ...options });
  const page = await context.newPage();
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return page;
}
