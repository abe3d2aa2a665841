"use client";

import { type ReactNode, useCallback, useEffect, useState } from "react";
import { useRoomTokens } from "@/components/queries/use-room-tokens";
import type { AdminRoom, AdminToken } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { Pager } from "../common/pager";
import { QueryState } from "../common/query-state";
import { Segmented } from "../common/segmented";
import { useCan } from "../common/session-context";
import { LiveStamp, StaleBanner } from "../common/stale-banner";
import { useNow } from "../common/use-now";
import { type TokenAction, TokenActionDialogs } from "./token-actions";
import { outcomeShownMs, rowsWithOutcomes, type TokenOutcome, type TokenOutcomeKind } from "./token-outcomes";
import type { TokenSearch, TokenStateFilter } from "./token-search";
import { TokenTable } from "./token-table";

const stateOptions: ReadonlyArray<{ value: TokenStateFilter; label: string }> = [
  { value: "all", label: "All" },
  { value: "waiting", label: "Waiting" },
  { value: "admitted", label: "Admitted" },
];

type Filters = Omit<TokenSearch, "room">;

// One room's visitors: state filter, id search, the table and its pages. The filters live with
// the caller (the tokens page keeps them in the URL, the room page in memory).
export function TokenBrowser({
  room,
  filters,
  onFilters,
  leadingFilters,
  pageSize = 50,
}: {
  room: AdminRoom;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  /** Controls shown first in the filter row (the tokens page's room picker). */
  leadingFilters?: ReactNode;
  pageSize?: number;
}) {
  const mayAct = useCan("operator");
  const [action, setAction] = useState<TokenAction | null>(null);
  const [searchText, setSearchText] = useState(filters.search);
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, TokenOutcome>>(new Map());
  const tokens = useRoomTokens(room.id, {
    state: filters.state === "all" ? undefined : filters.state,
    search: filters.search || undefined,
    page: filters.page,
    pageSize,
  });

  // Search as the operator types, once they pause.
  useEffect(() => {
    const trimmed = searchText.trim();
    if (trimmed === filters.search) return;
    const timer = window.setTimeout(() => onFilters({ ...filters, search: trimmed, page: 1 }), 300);
    return () => window.clearTimeout(timer);
  }, [searchText, filters, onFilters]);

  const data = tokens.data;
  // Ticks only while a row is marked, so the mark goes on time without a poll.
  const nowMs = useNow(outcomes.size > 0 ? 1_000 : 60_000);
  useEffect(() => {
    if ([...outcomes.values()].some((o) => nowMs - o.atMs >= outcomeShownMs)) {
      setOutcomes((current) => new Map([...current].filter(([, o]) => nowMs - o.atMs < outcomeShownMs)));
    }
  }, [nowMs, outcomes]);
  const noteOutcome = useCallback(
    (kind: TokenOutcomeKind, before: AdminToken, after: AdminToken) => {
      const index = Math.max(0, data?.items.findIndex((token) => token.id === before.id) ?? 0);
      setOutcomes((current) =>
        new Map(current).set(before.id, {
          kind,
          // An evicted visitor's row shows them as they were; an admitted one as they are now.
          token: kind === "evicted" ? before : after,
          index,
          atMs: Date.now(),
        }),
      );
    },
    [data],
  );

  return (
    <div className={styles.form}>
      <div className={styles.panelHeader}>
        <div className={styles.filters}>
          {leadingFilters}
          <div className={styles.field}>
            <span className={styles.label} id={`token-state-${room.id}`}>
              State
            </span>
            <Segmented
              legend="State"
              labelledBy={`token-state-${room.id}`}
              options={stateOptions}
              value={filters.state}
              onChange={(state) => onFilters({ ...filters, state, page: 1 })}
            />
          </div>
          <div className={styles.field}>
            <label className={styles.label} htmlFor={`token-search-${room.id}`}>
              Find a visitor
            </label>
            <input
              id={`token-search-${room.id}`}
              className={`${styles.input} ${styles.mono}`}
              type="search"
              placeholder="K7QF-2M, or an id"
              value={searchText}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => setSearchText(event.target.value)}
            />
          </div>
        </div>
        <LiveStamp query={tokens} />
      </div>
      <StaleBanner queries={[tokens]} />
      {!data ? (
        <QueryState what="visitors" isPending={tokens.isPending} error={tokens.error} onRetry={tokens.refetch} />
      ) : (
        <>
          <TokenTable
            rows={rowsWithOutcomes(data.items, outcomes, nowMs)}
            caption={`Visitors of ${room.name}`}
            onAction={mayAct ? setAction : undefined}
          />
          <Pager
            page={data.page}
            pageSize={data.pageSize}
            total={data.total}
            noun="visitors"
            onPage={(page) => onFilters({ ...filters, page })}
          />
          {!mayAct ? <p className={styles.note}>Operators can evict or admit visitors.</p> : null}
        </>
      )}
      {mayAct ? (
        <TokenActionDialogs room={room} action={action} onDone={() => setAction(null)} onOutcome={noteOutcome} />
      ) : null}
    </div>
  );
}
