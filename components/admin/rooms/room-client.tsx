"use client";

import Link from "next/link";
import { useState } from "react";
import { BrandingPanel } from "@/components/admin/branding/branding-panel";
import { RoomCharts } from "@/components/charts/room-charts";
import { ApiRequestError } from "@/components/queries/api";
import { useActiveAlarms } from "@/components/queries/use-active-alarms";
import { useRoom } from "@/components/queries/use-room";
import { AlertsPanel } from "../alerts/alerts-panel";
import styles from "../common/admin.module.css";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { useStaleQueries } from "../common/stale-banner";
import { ScaleEventsPanel } from "../events/scale-events-panel";
import { TokenBrowser } from "../tokens/token-browser";
import type { TokenSearch } from "../tokens/token-search";
import { BotDefencePanel } from "./bot-defence-panel";
import { CapacityControl } from "./capacity-control";
import { CapacityPlanPanel } from "./capacity-plan-panel";
import { RoomCard } from "./room-card";
import { RoomDangerZone } from "./room-danger-zone";
import roomStyles from "./room-page.module.css";
import { RoomSettingsForm } from "./room-settings-form";

// /admin/rooms/{room}: live figures and the capacity control side by side, what raises capacity
// now, history, scale events, alerts, visitors, settings, and the irreversible actions last.
export function RoomClient({ room: roomId }: { room: string }) {
  const room = useRoom(roomId);
  const [filters, setFilters] = useState<Omit<TokenSearch, "room">>({ state: "all", search: "", page: 1 });
  const data = room.data?.room;
  const stale = useStaleQueries([room]).length > 0;
  const alarms = useActiveAlarms().data?.alarms.filter((alarm) => alarm.roomId === roomId) ?? [];

  if (!data) {
    const missing = room.error instanceof ApiRequestError && room.error.status === 404;
    return (
      <div className={styles.page}>
        <PageHeader title={missing ? "No such room" : `Room ${roomId}`} />
        {missing ? (
          <p>
            There is no room <code>{roomId}</code>. <Link href="/admin">Back to the dashboard</Link>
          </p>
        ) : (
          <QueryState what="the room" isPending={room.isPending} error={room.error} onRetry={room.refetch} />
        )}
      </div>
    );
  }

  return (
    <div className={styles.page}>
      <nav aria-label="Breadcrumb" className={styles.small}>
        <Link href="/admin">Dashboard</Link> / <span aria-current="page">{data.name}</span>
      </nav>
      <PageHeader
        title={data.name}
        subtitle={
          <>
            Room <code>{data.id}</code> · guards {data.protectedPaths.join(", ") || "no paths"} ·{" "}
            <Link href={`/admin/tokens?room=${encodeURIComponent(data.id)}`}>all tokens</Link>
          </>
        }
        queries={[room]}
      />
      <div className={roomStyles.top}>
        <RoomCard room={data} linked={false} stale={stale} alarms={alarms} />
        <CapacityControl room={data} />
      </div>
      <CapacityPlanPanel room={data} />
      <BotDefencePanel room={data} />
      <div className={styles.panel}>
        <RoomCharts room={data.id} />
      </div>
      <ScaleEventsPanel room={data} />
      <AlertsPanel room={data.id} />
      <section className={styles.panel} aria-labelledby="visitors-title">
        <h2 id="visitors-title" className={styles.panelTitle}>
          Visitors
        </h2>
        <TokenBrowser room={data} filters={filters} onFilters={setFilters} pageSize={10} />
      </section>
      <RoomSettingsForm key={data.id} room={data} />
      <BrandingPanel key={`branding-${data.id}`} room={data} />
      <RoomDangerZone room={data} />
    </div>
  );
}
