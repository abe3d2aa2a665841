// Drives a QueueSession from the waiting page: keeps the view current, navigates to `next`
// once admitted, and tells the server when the page goes away.
import { useCallback, useEffect, useRef, useState } from "react";
import type { QueueStatus } from "@/server/queue/types";
import { bindPageLifecycle } from "./page-lifecycle";
import { solveChallenge } from "./pow-solver";
import { MAX_REFUSAL_RETRY_MS, QueueSession } from "./queue-session";
import { type QueueView, viewFromStatus } from "./queue-view";

/** Long enough to read "It's your turn" (and for the live region to say it), short enough not to keep anyone waiting. */
const ADMITTED_PAUSE_MS = 900;

export type QueueHeartbeat = {
  view: QueueView;
  reconnecting: boolean;
  requestNewPlace: () => void;
};

export function useQueueHeartbeat(room: string, initialStatus: QueueStatus | null, next: string): QueueHeartbeat {
  const [view, setView] = useState<QueueView>(() => viewFromStatus(initialStatus));
  const [reconnecting, setReconnecting] = useState(false);
  const sessionRef = useRef<QueueSession | null>(null);
  // Only the first render's status seeds the session; later server renders do not restart it.
  const initialStatusRef = useRef(initialStatus);

  useEffect(() => {
    let navigating = false;
    let navigateTimer: ReturnType<typeof setTimeout> | undefined;

    const session = new QueueSession({
      room,
      solve: solveChallenge,
      onEvent: (event) => {
        switch (event.type) {
          case "status":
            setView(viewFromStatus(event.status));
            if (event.status.state === "admitted" && !navigating) {
              navigating = true;
              session.stop();
              // A full navigation, so the protected page is requested with the new admission cookie.
              navigateTimer = setTimeout(() => window.location.assign(next), ADMITTED_PAUSE_MS);
            }
            return;
          case "gone":
            setView({ kind: "expired", cause: event.cause });
            return;
          case "refused":
            // Someone already in line keeps seeing their place; only a newcomer sees the refusal.
            setView((current) =>
              current.kind === "status"
                ? current
                : {
                    kind: "refused",
                    code: event.code,
                    retryInMs: event.retryInMs,
                    // The session's own schedule: an enter retry waits at most this long.
                    retryAtMs: Date.now() + Math.min(event.retryInMs, MAX_REFUSAL_RETRY_MS),
                  },
            );
            return;
          case "checking":
            setView({ kind: "checking", failed: event.failed });
            return;
          case "connection":
            setReconnecting(event.reconnecting);
            return;
        }
      },
    });
    sessionRef.current = session;
    session.start(initialStatusRef.current);
    // Check in at once rather than a whole interval after the server render: after a reload,
    // the old page's leave beacon can land after this page's request, and only a heartbeat
    // within the leave grace keeps the place.
    if (initialStatusRef.current) session.heartbeatNow();

    // Walking through to `next` is not leaving.
    const unbind = bindPageLifecycle(session, { movingOn: () => navigating, onRestored: () => session.wake() });

    return () => {
      session.stop();
      clearTimeout(navigateTimer);
      unbind();
      sessionRef.current = null;
    };
  }, [room, next]);

  const requestNewPlace = useCallback(() => {
    setView({ kind: "joining" });
    sessionRef.current?.enter();
  }, []);

  return { view, reconnecting, requestNewPlace };
}
