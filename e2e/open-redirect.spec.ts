import { expect, test } from "./fixtures";
import { shopUrl } from "./settings";

// Issue 11, item 2: a link to the waiting page whose `next` is re-spelled to leave the site.
// The person waits, is let in, and lands on this site's shop, not on the other site.

const hostileNext = ["/.//evil.example/", "/%2e%2e//evil.example/", "/shop/..//evil.example/"];

for (const next of hostileNext) {
  test(`a visitor sent with next=${next} waits and is let in to this site`, async ({ visitor, baseURL }) => {
    const inside = await visitor("Inside");
    await inside.page.goto("/shop");
    await expect(inside.page).toHaveURL(shopUrl);

    const target = await visitor("Target");
    const leftSite: string[] = [];
    target.page.on("request", (request) => {
      if (request.isNavigationRequest() && new URL(request.url()).host !== new URL(baseURL as string).host) {
        leftSite.push(request.url());
      }
    });
    await target.page.goto(`/wait/default?next=${encodeURIComponent(next)}`);
    await expect(target.page.getByTestId("wait-state")).toHaveAttribute("data-state", "next");

    // The one inside leaves: the one waiting is admitted and the page walks them on.
    await inside.leave();
    await expect(target.page).toHaveURL(shopUrl, { timeout: 20_000 });
    expect(new URL(target.page.url()).origin).toBe(new URL(baseURL as string).origin);
    expect(leftSite).toEqual([]);
  });
}
