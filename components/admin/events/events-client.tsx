"use client";

import { useEffect, useState } from "react";
import { useEvents } from "@/components/queries/use-events";
import { useRooms } from "@/components/queries/use-rooms";
import styles from "../common/admin.module.css";
import { Field } from "../common/form-field";
import { formatCount } from "../common/format";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { useNow } from "../common/use-now";
import { EVENT_CLOCK_MS, EventBrowser } from "./event-browser";
import { countPhases, phaseSummary } from "./event-phase";
import type { TimelineGroup } from "./event-timeline";

// /admin/events?room=: every room's scale events on one timeline (a row per room) and in one
// list, and "New event" for any room (the form asks which, and shows its base capacity).
export function EventsClient({ initialRoom }: { initialRoom: string }) {
  const [room, setRoom] = useState(initialRoom);
  const events = useEvents({ room: room || undefined });
  const rooms = useRooms();
  const roomList = rooms.data?.rooms ?? [];
  const list = events.data?.events ?? [];
  // One instant for the header and the list, so they never disagree on what is running.
  const now = useNow(EVENT_CLOCK_MS);

  useEffect(() => {
    const search = room ? `?room=${encodeURIComponent(room)}` : "";
    window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [room]);

  // A row per room with events (or the one chosen), in the dashboard's order.
  const nameOf = (id: string) => roomList.find((candidate) => candidate.id === id)?.name ?? id;
  const roomIds = [...new Set([...(room ? [room] : []), ...list.map((event) => event.roomId)])].sort(
    (a, b) =>
      roomList.findIndex((candidate) => candidate.id === a) - roomList.findIndex((candidate) => candidate.id === b),
  );
  const groups: TimelineGroup[] = roomIds.map((id) => ({
    id,
    label: nameOf(id),
    events: list.filter((event) => event.roomId === id),
  }));

  return (
    <div className={styles.page}>
      <PageHeader
        title="Scale events"
        subtitle={
          events.data ? (
            <>
              {formatCount(list.length)} {list.length === 1 ? "event" : "events"} from a week ago to 90 days ahead ·{" "}
              <span data-testid="events-summary">{phaseSummary(countPhases(list, now))}</span>
            </>
          ) : (
            "Known peaks, with capacity raised ahead of them."
          )
        }
        queries={[events, rooms]}
      />
      <section className={styles.panel} aria-label="Scale events">
        <div className={styles.filters}>
          <Field id="events-room" label="Room">
            {(control) => (
              <select
                {...control}
                className={styles.select}
                value={room}
                onChange={(event) => setRoom(event.target.value)}
              >
                <option value="">All rooms</option>
                {roomList.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name} ({option.id})
                  </option>
                ))}
                {room && !roomList.some((option) => option.id === room) ? <option value={room}>{room}</option> : null}
              </select>
            )}
          </Field>
        </div>
        {!events.data ? (
          <QueryState what="scale events" isPending={events.isPending} error={events.error} onRetry={events.refetch} />
        ) : (
          <EventBrowser
            events={list}
            nowMs={now}
            groups={groups.length > 0 ? groups : [{ id: "none", label: null, events: [] }]}
            showRoom
            newIn={{
              choices: roomList.map((option) => ({ id: option.id, name: option.name, capacity: option.capacity })),
              preferred: room || undefined,
            }}
            baseCapacityOf={(id) => roomList.find((candidate) => candidate.id === id)?.capacity ?? null}
          />
        )}
      </section>
    </div>
  );
}
