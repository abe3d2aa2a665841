"use client";

import { useState } from "react";
import { RoomCharts } from "@/components/charts/room-charts";
import { useActiveAlarms } from "@/components/queries/use-active-alarms";
import { useRooms } from "@/components/queries/use-rooms";
import styles from "../common/admin.module.css";
import { formatCount } from "../common/format";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { useCan } from "../common/session-context";
import { useStaleQueries } from "../common/stale-banner";
import { SystemCard } from "../system/system-card";
import { CreateRoomForm } from "./create-room-form";
import { RoomCard } from "./room-card";
import cardStyles from "./room-card.module.css";

// /admin: a card per room (live, every 2 s), the chosen room's charts, and this node's health.
export function DashboardClient() {
  const rooms = useRooms();
  const alarms = useActiveAlarms().data?.alarms ?? [];
  const mayCreate = useCan("operator");
  const [creating, setCreating] = useState(false);
  const [chartRoom, setChartRoom] = useState<string | null>(null);
  const list = rooms.data?.rooms ?? [];
  const selected = list.find((room) => room.id === chartRoom) ?? list[0];
  const stale = useStaleQueries([rooms]).length > 0;
  const totalWaiting = list.reduce((sum, room) => sum + room.stats.waiting, 0);

  return (
    <div className={styles.page}>
      <PageHeader
        title="Dashboard"
        subtitle={
          rooms.data
            ? `${formatCount(list.length)} ${list.length === 1 ? "room" : "rooms"} · ${formatCount(totalWaiting)} waiting in all`
            : undefined
        }
        queries={[rooms]}
        actions={
          mayCreate && !creating ? (
            <button type="button" className={`button ${styles.compact}`} onClick={() => setCreating(true)}>
              New room
            </button>
          ) : null
        }
      />

      {creating && mayCreate ? <CreateRoomForm onClose={() => setCreating(false)} /> : null}

      {!rooms.data ? (
        <QueryState what="rooms" isPending={rooms.isPending} error={rooms.error} onRetry={rooms.refetch} />
      ) : list.length === 0 ? (
        <p className={styles.empty}>No rooms yet.{mayCreate ? " Create one with “New room”." : ""}</p>
      ) : (
        <section aria-label="Rooms" className={cardStyles.grid}>
          {list.map((room) => (
            <RoomCard
              key={room.id}
              room={room}
              stale={stale}
              alarms={alarms.filter((alarm) => alarm.roomId === room.id)}
            />
          ))}
        </section>
      )}

      {selected ? (
        <div className={styles.panel}>
          <RoomCharts
            key={selected.id}
            room={selected.id}
            title={list.length > 1 ? "History of" : `${selected.name}: history`}
            picker={
              list.length > 1 ? (
                <>
                  <label className="visually-hidden" htmlFor="chart-room">
                    Room shown in the charts
                  </label>
                  <select
                    id="chart-room"
                    className={`${styles.select} ${styles.inlineSelect}`}
                    value={selected.id}
                    onChange={(event) => setChartRoom(event.target.value)}
                  >
                    {list.map((room) => (
                      <option key={room.id} value={room.id}>
                        {room.name} ({room.id})
                      </option>
                    ))}
                  </select>
                </>
              ) : null
            }
          />
        </div>
      ) : null}

      <SystemCard />
    </div>
  );
}
