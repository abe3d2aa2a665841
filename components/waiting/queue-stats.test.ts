import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { QueueStatus } from "@/server/queue/types";
import { waitingMessages } from "./messages";
import { progressShown, QueueStats } from "./queue-stats";

// Progress means progress: the server's figure (0 on joining), never a minimum that looks like
// movement, never 100% before the visitor is in.

function status(overrides: Partial<QueueStatus>): QueueStatus {
  return {
    room: "r",
    reference: null,
    state: "waiting",
    position: 5,
    ahead: 4,
    waiting: 9,
    progress: 0,
    etaSeconds: 60,
    admissionsPerMinute: 4,
    heartbeatIntervalMs: 5_000,
    heartbeatTimeoutMs: 20_000,
    admittedAt: null,
    sessionEndsAt: null,
    startsAt: null,
    hold: false,
    ...overrides,
  };
}

function rendered(s: QueueStatus) {
  const html = renderToStaticMarkup(
    createElement(QueueStats, { status: s, state: "waiting", messages: waitingMessages.en }),
  );
  return {
    html,
    percent: /data-testid="wait-progress-percent">([^<]*)</.exec(html)?.[1] ?? null,
    scale: /scaleX\(([\d.]+)\)/.exec(html)?.[1] ?? null,
  };
}

describe("the waiting page's progress", () => {
  it.each([
    [0, 0, "0%", "0"],
    [0.004, 0.004, "0%", "0.004"],
    [0.25, 0.25, "25%", "0.25"],
    [0.999, 0.99, "99%", "0.99"],
    [1, 0.99, "99%", "0.99"],
    [-1, 0, "0%", "0"],
    [Number.NaN, 0, "0%", "0"],
  ])("shows the server's %s as %s (%s), floored and short of done", (progress, shown, percent, scale) => {
    const s = status({ progress });
    expect(progressShown(s)).toBe(shown);
    expect(rendered(s)).toMatchObject({ percent, scale });
  });

  it("is full once admitted", () => {
    expect(progressShown(status({ state: "admitted", position: null, ahead: null, progress: 0.3 }))).toBe(1);
  });

  it("shows no bar for someone who joined at the front (nobody ahead to measure)", () => {
    const front = status({ position: 1, ahead: 0, progress: 0 });
    expect(progressShown(front)).toBeNull();
    expect(rendered(front).html).not.toContain("progressbar");
    // At the front after everyone ahead went in: nearly there, and said so.
    expect(progressShown(status({ position: 1, ahead: 0, progress: 1 }))).toBe(0.99);
  });
});
