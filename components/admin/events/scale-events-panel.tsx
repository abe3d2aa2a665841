"use client";

import { useRoomEvents } from "@/components/queries/use-room-events";
import type { AdminRoom } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { QueryState } from "../common/query-state";
import { LiveStamp, StaleBanner } from "../common/stale-banner";
import { useNow } from "../common/use-now";
import { EVENT_CLOCK_MS, EventBrowser } from "./event-browser";
import { countPhases, phaseSummary } from "./event-phase";

// A room's scale events: known peaks, with capacity raised ahead of them.
export function ScaleEventsPanel({ room }: { room: AdminRoom }) {
  const events = useRoomEvents(room.id);
  const list = events.data?.events ?? [];
  const now = useNow(EVENT_CLOCK_MS);
  return (
    <section className={styles.panel} aria-labelledby="scale-events-title" data-testid="scale-events">
      <div className={styles.panelHeader}>
        <div className={styles.formActions}>
          <h2 id="scale-events-title" className={styles.panelTitle}>
            Scale events
          </h2>
          {events.data ? (
            <span className={styles.note} data-testid="event-phase-summary">
              {phaseSummary(countPhases(list, now))}
            </span>
          ) : null}
        </div>
        <LiveStamp query={events} />
      </div>
      <StaleBanner queries={[events]} />
      {events.data ? (
        <EventBrowser
          events={list}
          nowMs={now}
          groups={[{ id: room.id, label: null, events: list }]}
          newIn={{ roomId: room.id, baseCapacity: room.capacity }}
          baseCapacityOf={() => room.capacity}
        />
      ) : (
        <QueryState what="scale events" isPending={events.isPending} error={events.error} onRetry={events.refetch} />
      )}
    </section>
  );
}
