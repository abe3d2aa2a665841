"use client";

import { useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useApiKeys } from "@/components/queries/use-api-keys";
import { useCreateApiKey } from "@/components/queries/use-create-api-key";
import { useRevokeApiKey } from "@/components/queries/use-revoke-api-key";
import { useRooms } from "@/components/queries/use-rooms";
import type { ApiKeyRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages } from "../common/form-field";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { SurgeTriggerExample } from "../events/surge-trigger-example";
import { ApiKeySecretDialog } from "./api-key-secret-dialog";
import { ApiKeyTable } from "./api-key-table";
import { CreateApiKeyForm } from "./create-api-key-form";

// /admin/api-keys (admins only; the server page refuses everyone else): keys for machine
// callers of the surge trigger. A key's secret is shown once, as it is created.
export function ApiKeysClient() {
  const keys = useApiKeys();
  const rooms = useRooms();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRecord | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const roomList = rooms.data?.rooms ?? [];

  function closeRevoke() {
    revoke.reset();
    setRevoking(null);
  }

  return (
    <div className={styles.page}>
      <PageHeader
        title="API keys"
        subtitle="For machines: a push server raising a room's capacity with POST /api/triggers/surge."
        queries={[keys]}
        actions={
          creating ? null : (
            <button
              type="button"
              className={`button ${styles.compact}`}
              onClick={() => {
                setDone(null);
                setCreating(true);
              }}
            >
              New API key
            </button>
          )
        }
      />
      {creating ? <CreateApiKeyForm rooms={roomList} mutation={create} onClose={() => setCreating(false)} /> : null}
      <FormMessages success={done} />
      <section className={styles.panel} aria-label="API keys">
        {keys.data ? (
          <ApiKeyTable keys={keys.data.keys} onRevoke={setRevoking} />
        ) : (
          <QueryState what="API keys" isPending={keys.isPending} error={keys.error} onRetry={keys.refetch} />
        )}
      </section>
      <SurgeTriggerExample room={roomList[0]?.id ?? "default"} />
      <ApiKeySecretDialog
        created={create.data ?? null}
        onDone={() => {
          // Forget the secret: from here on only its prefix exists anywhere.
          if (create.data) setDone(`Key “${create.data.key.name}” is ready (${create.data.key.prefix}…).`);
          create.reset();
          setCreating(false);
        }}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={revoking ? `Revoke the key “${revoking.name}”?` : ""}
        confirmLabel="Revoke key"
        tone="danger"
        pending={revoke.isPending}
        error={revoke.error ? errorMessage(revoke.error) : null}
        onConfirm={() =>
          revoking &&
          revoke.mutate(
            { id: revoking.id },
            {
              onSuccess: () => {
                setDone(`Revoked “${revoking.name}”: its next call is refused.`);
                closeRevoke();
              },
            },
          )
        }
        onCancel={closeRevoke}
      >
        <p>
          Anything calling with it ({revoking?.rooms.join(", ")}) is refused from now on (401). This cannot be undone: a
          new key has to be made and installed.
        </p>
      </ConfirmDialog>
    </div>
  );
}
