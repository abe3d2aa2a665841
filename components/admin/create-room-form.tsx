"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";
import { useCreateRoom } from "@/components/queries/use-create-room";
import type { RoomConfig } from "@/server/queue/types";
import styles from "./admin.module.css";
import { ConfirmDialog } from "./confirm-dialog";
import { RoomFields } from "./room-fields";
import { emptyRoomForm, type RoomFormErrors, type RoomFormValues, validateRoomForm } from "./room-form";

// POST /api/admin/rooms, from the dashboard (operators and admins).
export function CreateRoomForm({ onClose }: { onClose: () => void }) {
  const createRoom = useCreateRoom();
  const [values, setValues] = useState<RoomFormValues>(emptyRoomForm);
  const [errors, setErrors] = useState<RoomFormErrors>({});
  const [pendingRoom, setPendingRoom] = useState<RoomConfig | null>(null);
  const [created, setCreated] = useState<RoomConfig | null>(null);

  function create(room: RoomConfig) {
    createRoom.mutate(room, {
      onSuccess: () => {
        setPendingRoom(null);
        setCreated(room);
        setValues(emptyRoomForm);
      },
      onError: (error) => {
        setPendingRoom(null);
        if (error instanceof ApiRequestError && error.code === "room_exists") setErrors({ id: error.message });
      },
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const result = validateRoomForm(values);
    setErrors(result.errors);
    if (!result.room) return;
    // A room that guards paths changes live traffic at once: say which, and ask first.
    if (result.room.protectedPaths.length > 0) setPendingRoom(result.room);
    else create(result.room);
  }

  const serverError = createRoom.error && !errors.id ? errorMessage(createRoom.error) : null;

  return (
    <section className={styles.panel} aria-labelledby="create-room-title">
      <div className={styles.panelHeader}>
        <h2 id="create-room-title" className={styles.panelTitle}>
          New room
        </h2>
        <button type="button" className={`button button-secondary ${styles.compact}`} onClick={onClose}>
          Close
        </button>
      </div>
      <form className={styles.form} onSubmit={submit} noValidate>
        <RoomFields idPrefix="new-room" values={values} errors={errors} onChange={setValues} isNew />
        {serverError ? (
          <p className={styles.alert} role="alert">
            {serverError}
          </p>
        ) : null}
        {created ? (
          <p className={styles.success} role="status">
            Room {created.name} created. <Link href={`/admin/rooms/${created.id}`}>Open {created.name}</Link>
          </p>
        ) : null}
        <div className={styles.formActions}>
          <button type="submit" className="button" disabled={createRoom.isPending}>
            {createRoom.isPending ? "Creating…" : "Create room"}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={pendingRoom !== null}
        title={`Create room ${pendingRoom?.name ?? ""}?`}
        confirmLabel="Create room"
        pending={createRoom.isPending}
        onConfirm={() => pendingRoom && create(pendingRoom)}
        onCancel={() => setPendingRoom(null)}
      >
        <p>
          From now on, requests to <strong>{pendingRoom?.protectedPaths.join(", ")}</strong> go through this room's
          line, with up to {pendingRoom?.capacity.toLocaleString()} visitors inside at once.
        </p>
      </ConfirmDialog>
    </section>
  );
}
