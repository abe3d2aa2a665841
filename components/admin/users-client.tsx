"use client";

import { useState } from "react";
import { useUsers } from "@/components/queries/use-users";
import styles from "./admin.module.css";
import { CreateUserForm } from "./create-user-form";
import { PageHeader } from "./page-header";
import { QueryState } from "./query-state";
import { UserTable } from "./user-table";

// /admin/users (admins only; the server page refuses everyone else).
export function UsersClient() {
  const users = useUsers();
  const [creating, setCreating] = useState(false);
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
      <section className={styles.panel} aria-label="Users">
        {users.data ? (
          <UserTable users={users.data.users} />
        ) : (
          <QueryState what="users" isPending={users.isPending} error={users.error} onRetry={users.refetch} />
        )}
      </section>
    </div>
  );
}
