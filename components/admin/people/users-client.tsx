"use client";

import { useState } from "react";
import { useUsers } from "@/components/queries/use-users";
import type { AdminUser } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { FormMessages } from "../common/form-field";
import { PageHeader } from "../common/page-header";
import { QueryState } from "../common/query-state";
import { CreateUserForm } from "./create-user-form";
import { SetPasswordDialog } from "./set-password-dialog";
import { UserTable } from "./user-table";

// /admin/users (admins only; the server page refuses everyone else).
export function UsersClient() {
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  const [passwordFor, setPasswordFor] = useState<AdminUser | null>(null);
  const [passwordSet, setPasswordSet] = useState<string | null>(null);
  return (
    <div className={styles.page}>
      <PageHeader
        title="Users"
        subtitle="Who can use this console, and what they may do."
        queries={[users]}
        actions={
          creating ? null : (
            <button type="button" className={`button ${styles.compact}`} onClick={() => setCreating(true)}>
              New user
            </button>
          )
        }
      />
      {creating ? <CreateUserForm onClose={() => setCreating(false)} /> : null}
      <FormMessages success={passwordSet} />
      <section className={styles.panel} aria-label="Users">
        {users.data ? (
          <UserTable
            users={users.data.users}
            onSetPassword={(user) => {
              setPasswordSet(null);
              setPasswordFor(user);
            }}
          />
        ) : (
          <QueryState what="users" isPending={users.isPending} error={users.error} onRetry={users.refetch} />
        )}
      </section>
      <SetPasswordDialog
        user={passwordFor}
        onCancel={() => setPasswordFor(null)}
        onDone={(user) => {
          setPasswordFor(null);
          setPasswordSet(`New password set for ${user.email}. Share it with them privately.`);
        }}
      />
    </div>
  );
}
