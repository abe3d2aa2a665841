"use client";

import { useEffect, useState } from "react";
import { useAlerts } from "@/components/queries/use-alerts";
import { useDeliveries } from "@/components/queries/use-deliveries";
import { useRooms } from "@/components/queries/use-rooms";
import type { DeliveryStatus } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { Field } from "../common/form-field";
import { PageHeader } from "../common/page-header";
import { Pager } from "../common/pager";
import { QueryState } from "../common/query-state";
import { Segmented } from "../common/segmented";
import { deliveryStatusLabels, deliveryStatusOptions } from "../common/status-labels";
import { AlertHistoryTable } from "./alert-history-table";
import { type AlertsSearch, alertsSearchString } from "./alerts-search";
import { DeliveryTable } from "./delivery-table";

const HISTORY_PAGE_SIZE = 20;
const DELIVERY_PAGE_SIZE = 25;

const statusFilters: { value: DeliveryStatus | ""; label: string }[] = [
  { value: "", label: "All" },
  ...deliveryStatusOptions.map((status) => ({ value: status, label: deliveryStatusLabels[status] })),
];

// /admin/alerts?room=&status=&history=&page=: thresholds' changes of state, and every
// notification on its way to SNS with what became of it. Both poll; filters live in the URL.
export function AlertsClient({ initial }: { initial: AlertsSearch }) {
  const [search, setSearch] = useState<AlertsSearch>(initial);
  const room = search.room || undefined;
  const history = useAlerts({ room, page: search.historyPage, pageSize: HISTORY_PAGE_SIZE });
  const deliveries = useDeliveries({
    room,
    status: search.status || undefined,
    page: search.deliveryPage,
    pageSize: DELIVERY_PAGE_SIZE,
  });
  const rooms = useRooms();

  useEffect(() => {
    window.history.replaceState(null, "", `${window.location.pathname}${alertsSearchString(search)}`);
  }, [search]);

  return (
    <div className={styles.page}>
      <PageHeader
        title="Alerts"
        subtitle="Thresholds crossed and recovered, and the notifications sent about them and about scaling."
        queries={[history, deliveries]}
      />
      <div className={styles.filters}>
        <Field id="alerts-room" label="Room">
          {(control) => (
            <select
              {...control}
              className={styles.select}
              value={search.room}
              onChange={(event) => setSearch({ ...search, room: event.target.value, historyPage: 1, deliveryPage: 1 })}
            >
              <option value="">All rooms</option>
              {rooms.data?.rooms.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name} ({option.id})
                </option>
              ))}
              {search.room && !rooms.data?.rooms.some((option) => option.id === search.room) ? (
                <option value={search.room}>{search.room}</option>
              ) : null}
            </select>
          )}
        </Field>
      </div>
      <section className={styles.panel} aria-labelledby="alert-history-title">
        <h2 id="alert-history-title" className={styles.panelTitle}>
          Alert history
        </h2>
        {!history.data ? (
          <QueryState
            what="alert history"
            isPending={history.isPending}
            error={history.error}
            onRetry={history.refetch}
          />
        ) : (
          <>
            <AlertHistoryTable events={history.data.items} showRoom={!search.room} />
            <Pager
              page={history.data.page}
              pageSize={history.data.pageSize}
              total={history.data.total}
              noun="alerts"
              onPage={(page) => setSearch({ ...search, historyPage: page })}
            />
          </>
        )}
      </section>
      <section className={styles.panel} aria-labelledby="delivery-log-title">
        <div className={styles.panelHeader}>
          <h2 id="delivery-log-title" className={styles.panelTitle}>
            Delivery log
          </h2>
          <Segmented
            legend="Delivery status"
            options={statusFilters}
            value={search.status}
            onChange={(status) => setSearch({ ...search, status, deliveryPage: 1 })}
          />
        </div>
        {!deliveries.data ? (
          <QueryState
            what="the delivery log"
            isPending={deliveries.isPending}
            error={deliveries.error}
            onRetry={deliveries.refetch}
          />
        ) : (
          <>
            <DeliveryTable deliveries={deliveries.data.items} />
            <Pager
              page={deliveries.data.page}
              pageSize={deliveries.data.pageSize}
              total={deliveries.data.total}
              noun="deliveries"
              onPage={(page) => setSearch({ ...search, deliveryPage: page })}
            />
          </>
        )}
      </section>
    </div>
  );
}
