import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { emptyBranding } from "@/server/queue/branding";
import type { QueueStatus, RoomSummary } from "@/server/queue/types";
import { waitingMessages } from "./messages";
import { displayStateOf, type QueueView } from "./queue-view";
import { resolveRoomBrand } from "./room-brand";
import { StatusPanel } from "./status-panel";

// Every state the waiting page shows carries the room's name, logo and message: the card is one
// component, and this renders it in each state the way the page does.

const summary: RoomSummary = {
  room: "drop",
  name: "Spring drop",
  mode: "fifo",
  waiting: 12,
  full: false,
  etaSeconds: 120,
  heartbeatIntervalMs: 5_000,
  challenge: "off",
  defaultLanguage: null,
  branding: {
    ...emptyBranding,
    displayName: { en: "Acme <spring> drop" },
    message: { en: '<script>alert("x")</script>\nOne pair each.' },
    logoUrl: "https://cdn.example.com/acme.png",
    accentColor: "#0f766e",
  },
};

const status = (overrides: Partial<QueueStatus>): QueueView => ({
  kind: "status",
  status: {
    room: "drop",
    reference: "K7QF-2M",
    state: "waiting",
    position: 5,
    ahead: 4,
    waiting: 12,
    progress: 0.4,
    etaSeconds: 120,
    admissionsPerMinute: 3,
    heartbeatIntervalMs: 5_000,
    heartbeatTimeoutMs: 20_000,
    admittedAt: null,
    sessionEndsAt: null,
    startsAt: null,
    hold: false,
    ...overrides,
  },
});

const views: QueueView[] = [
  { kind: "joining" },
  status({}),
  status({ position: 1, ahead: 0 }),
  status({ state: "paused" }),
  status({ state: "closed" }),
  status({ state: "prequeue", position: null, ahead: null, startsAt: 1_900_000_000_000 }),
  { kind: "refused", code: "room_full", retryInMs: 30_000 },
  { kind: "refused", code: "room_closed", retryInMs: 60_000 },
  { kind: "expired", cause: "silence" },
  { kind: "expired", cause: "session_limit" },
  { kind: "expired", cause: "outage" },
];

describe("the waiting page's card, branded", () => {
  it("covers every state the page can show", () => {
    expect(new Set(views.map(displayStateOf))).toEqual(
      new Set(["joining", "waiting", "next", "paused", "closed", "prequeue", "full", "expired", "ended", "lost"]),
    );
  });

  it.each(views.map((view) => [displayStateOf(view), view] as const))(
    "%s: shows the logo, the display name and the message as text",
    (_state, view) => {
      const html = renderToStaticMarkup(
        createElement(StatusPanel, {
          view,
          messages: waitingMessages.en,
          room: "drop",
          brand: resolveRoomBrand(summary, "en"),
          next: "/shop",
          summary,
          onNewPlace: () => {},
        }),
      );
      expect(html).toContain('data-testid="room-display-name">Acme &lt;spring&gt; drop</p>');
      expect(html).toContain('alt="Acme &lt;spring&gt; drop"');
      expect(html).toMatch(/referrerpolicy="no-referrer"/i);
      expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\nOne pair each.");
      expect(html).not.toContain("<script>");
    },
  );
});
