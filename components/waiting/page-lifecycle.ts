import type { QueueSession } from "./queue-session";

/**
 * Ties a queue session to the page's lifecycle, the same way on the waiting page and on
 * admitted pages; returns the function that unties it.
 * - pagehide (close, reload, back): stop, then say goodbye unless the page is moving on by
 *   design (`movingOn`). The session stops first: a heartbeat fired after the goodbye would
 *   cancel it like a reload does. The server keeps the place for a grace, so a reload or a
 *   second tab that checks in within it keeps it.
 * - pageshow from the back/forward cache: `onRestored` checks in at once (the place may have lapsed).
 * - a throttled background tab shown again: check in now instead of at the late timer.
 */
export function bindPageLifecycle(
  session: QueueSession,
  { movingOn, onRestored }: { movingOn: () => boolean; onRestored: () => void },
): () => void {
  const onPageHide = () => {
    session.stop();
    if (!movingOn()) session.sendLeave();
  };
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && !movingOn()) onRestored();
  };
  const onVisibilityChange = () => {
    if (document.visibilityState === "visible") session.heartbeatNow();
  };
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("pageshow", onPageShow);
  document.addEventListener("visibilitychange", onVisibilityChange);
  return () => {
    window.removeEventListener("pagehide", onPageHide);
    window.removeEventListener("pageshow", onPageShow);
    document.removeEventListener("visibilitychange", onVisibilityChange);
  };
}
