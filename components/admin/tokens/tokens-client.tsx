"use client";

import { useCallback, useEffect, useState } from "react";
import { useRooms } from "@/components/queries/use-rooms";
import styles from "../common/admin.module.css";
import { Field } from "../common/form-field";
import { formatCount } from "../common/format";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { TokenBrowser } from "./token-browser";
import { type TokenSearch, tokenSearchString } from "./token-search";

// /admin/tokens: every visitor of one room. Filters live in the URL (shareable, survive a
// reload); it is updated in place, without a server round trip.
export function TokensClient({ initial }: { initial: TokenSearch }) {
  const rooms = useRooms();
  const [search, setSearch] = useState<TokenSearch>(initial);
  const list = rooms.data?.rooms ?? [];
  const room = list.find((candidate) => candidate.id === search.room) ?? (search.room ? undefined : list[0]);

  useEffect(() => {
    window.history.replaceState(null, "", `${window.location.pathname}${tokenSearchString(search)}`);
  }, [search]);

  const onFilters = useCallback(
    (filters: Omit<TokenSearch, "room">) => setSearch((current) => ({ ...filters, room: current.room })),
    [],
  );

  const roomPicker = (
    <Field id="tokens-room" label="Room">
      {(control) => (
        <select
          {...control}
          className={styles.select}
          value={room?.id ?? search.room}
          onChange={(event) => setSearch({ room: event.target.value, state: search.state, search: "", page: 1 })}
        >
          {room ? null : <option value={search.room}>{search.room || "Choose a room"}</option>}
          {list.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name} ({option.id})
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <div className={styles.page}>
      <PageHeader
        title="Tokens"
        subtitle={
          room
            ? `${formatCount(room.stats.waiting)} waiting and ${formatCount(room.stats.active)} admitted in ${room.name}`
            : "Places in line and admissions"
        }
      />
      {!rooms.data ? (
        <QueryState what="rooms" isPending={rooms.isPending} error={rooms.error} onRetry={rooms.refetch} />
      ) : (
        <section className={styles.panel} aria-label="Visitors">
          {room ? (
            <TokenBrowser
              key={room.id}
              room={room}
              filters={search}
              onFilters={onFilters}
              leadingFilters={roomPicker}
            />
          ) : (
            <>
              <div className={styles.filters}>{roomPicker}</div>
              <p className={styles.empty}>
                {search.room ? `There is no room “${search.room}”.` : "There are no rooms yet."}
              </p>
            </>
          )}
        </section>
      )}
    </div>
  );
}
