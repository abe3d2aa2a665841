// The state glyphs as SVG path data: the waiting page draws them (state-icon.tsx), and so do the
// gate's own pages (server/gate/full-page.ts), which are plain HTML.
import type { DisplayState } from "./queue-view";

// One glyph per state, so the state reads at a glance before the heading does.
export const STATE_ICON_PATHS: Record<DisplayState, string> = {
  joining: "M12 3a9 9 0 1 0 9 9M12 7v5l3 2",
  full: "M4 7h16M4 12h16M4 17h10",
  waiting: "M7 3h10M7 21h10M8 3c0 5 8 5 8 9s-8 4-8 9M16 3c0 5-8 5-8 9s8 4 8 9",
  next: "M5 12h13M13 6l6 6-6 6",
  paused: "M9 6v12M15 6v12",
  closed: "M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z",
  prequeue: "M4 5h16v15H4zM4 10h16M9 3v4M15 3v4",
  admitted: "M5 12.5l4.5 4.5L19 7.5",
  // A broken link: the connection broke, not the visitor's doing.
  lost: "M9 15l-2 2a3 3 0 0 1-4-4l3-3a3 3 0 0 1 4 0M15 9l2-2a3 3 0 0 1 4 4l-3 3a3 3 0 0 1-4 0M4 4l3 3M20 20l-3-3",
  // A clock: the time was up.
  ended: "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7v5l3 3",
  // A person with a minus: the site took the place out.
  removed: "M9 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 11h6",
  // A door with an arrow out: the visit is over.
  siteEnded: "M14 4h5v16h-5M10 8l-4 4 4 4M6 12h10",
  expired: "M12 8v5M12 16.5v.5M10.3 3.9L2.6 17.5A2 2 0 0 0 4.3 20.5h15.4a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
};
