"use client";

import { useEffect, useState } from "react";
import { useAudit } from "@/components/queries/use-audit";
import { useRooms } from "@/components/queries/use-rooms";
import styles from "../common/admin.module.css";
import { Field } from "../common/form-field";
import { PageHeader } from "../common/page-header";
import { Pager } from "../common/pager";
import { QueryState } from "../common/query-state";
import { type AuditSearch, auditSearchString } from "./audit-search";
import { AuditTable } from "./audit-table";

const PAGE_SIZE = 50;

// /admin/audit: every change, by people and by the system, filterable by room and action.
export function AuditClient({ initial }: { initial: AuditSearch }) {
  const [search, setSearch] = useState<AuditSearch>(initial);
  const [actionText, setActionText] = useState(initial.action);
  const audit = useAudit({
    room: search.room || undefined,
    action: search.action || undefined,
    page: search.page,
    pageSize: PAGE_SIZE,
  });
  const rooms = useRooms();

  useEffect(() => {
    window.history.replaceState(null, "", `${window.location.pathname}${auditSearchString(search)}`);
  }, [search]);

  useEffect(() => {
    const trimmed = actionText.trim();
    if (trimmed === search.action) return;
    const timer = window.setTimeout(() => setSearch((current) => ({ ...current, action: trimmed, page: 1 })), 300);
    return () => window.clearTimeout(timer);
  }, [actionText, search.action]);

  const seenActions = [...new Set(audit.data?.items.map((record) => record.action) ?? [])].sort();

  return (
    <div className={styles.page}>
      <PageHeader
        title="Audit log"
        subtitle="Every change, by people in the console and by the system (the scheduler, API keys), newest first."
        queries={[audit]}
      />
      <section className={styles.panel} aria-label="Audit entries">
        <div className={styles.filters}>
          <Field id="audit-room" label="Room">
            {(control) => (
              <select
                {...control}
                className={styles.select}
                value={search.room}
                onChange={(event) => setSearch({ ...search, room: event.target.value, page: 1 })}
              >
                <option value="">All rooms</option>
                {rooms.data?.rooms.map((room) => (
                  <option key={room.id} value={room.id}>
                    {room.name} ({room.id})
                  </option>
                ))}
                {search.room && !rooms.data?.rooms.some((room) => room.id === search.room) ? (
                  <option value={search.room}>{search.room}</option>
                ) : null}
              </select>
            )}
          </Field>
          <Field id="audit-action" label="Action">
            {(control) => (
              <>
                <input
                  {...control}
                  className={`${styles.input} ${styles.mono}`}
                  list="audit-actions"
                  placeholder="Any action"
                  value={actionText}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => setActionText(event.target.value)}
                />
                <datalist id="audit-actions">
                  {seenActions.map((action) => (
                    <option key={action} value={action} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
        </div>
        {!audit.data ? (
          <QueryState what="the audit log" isPending={audit.isPending} error={audit.error} onRetry={audit.refetch} />
        ) : (
          <>
            <AuditTable records={audit.data.items} />
            <Pager
              page={audit.data.page}
              pageSize={audit.data.pageSize}
              total={audit.data.total}
              noun="entries"
              onPage={(page) => setSearch({ ...search, page })}
            />
          </>
        )}
      </section>
    </div>
  );
}
