"use client";

import Link from "next/link";
import { useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useUpdateUser } from "@/components/queries/use-update-user";
import type { AdminUser, Role } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { DataTable } from "../common/data-table";
import { roleDescriptions, roleLabels, roleOptions } from "../common/roles";
import { useSessionUser } from "../common/session-context";
import { Stamp } from "../common/stamp";

type Pending = { user: AdminUser; role: Role } | { user: AdminUser; disabled: boolean };

// The console's users, with role changes and disabling, each confirmed. Your own row is
// read-only (an admin cannot lock themselves out by accident); its password is changed on
// the account page, which asks for the current one.
export function UserTable({ users, onSetPassword }: { users: AdminUser[]; onSetPassword: (user: AdminUser) => void }) {
  const me = useSessionUser();
  const update = useUpdateUser();
  const [pending, setPending] = useState<Pending | null>(null);

  function close() {
    update.reset();
    setPending(null);
  }

  const title = !pending
    ? ""
    : "role" in pending
      ? `Change ${pending.user.email} from ${roleLabels[pending.user.role]} to ${roleLabels[pending.role]}?`
      : pending.disabled
        ? `Disable ${pending.user.email}?`
        : `Enable ${pending.user.email}?`;
  const effect = !pending
    ? ""
    : "role" in pending
      ? `${roleLabels[pending.role]}: ${roleDescriptions[pending.role]}`
      : pending.disabled
        ? "They can no longer sign in or use the console. Nothing they did is undone."
        : "They can sign in again with their current password.";

  return (
    <>
      <DataTable
        testId="user-table"
        caption="Console users"
        columns={[
          { label: "User" },
          { label: "Role" },
          { label: "Status" },
          { label: "Last sign-in" },
          { label: "Actions", className: styles.num },
        ]}
      >
        {users.map((user) => {
          const isMe = user.id === me.id;
          return (
            <tr key={user.id} data-testid={`user-row-${user.email}`}>
              <th scope="row">
                {user.email}
                {isMe ? <span className={`${styles.small} ${styles.muted}`}> (you)</span> : null}
                <div className={`${styles.small} ${styles.muted}`}>{user.name}</div>
              </th>
              <td>
                <label className="visually-hidden" htmlFor={`role-${user.id}`}>
                  Role of {user.email}
                </label>
                <select
                  id={`role-${user.id}`}
                  className={`${styles.select} ${styles.roleSelect}`}
                  value={user.role}
                  disabled={isMe || update.isPending}
                  onChange={(event) => setPending({ user, role: event.target.value as Role })}
                >
                  {roleOptions.map((role) => (
                    <option key={role} value={role}>
                      {roleLabels[role]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span className={styles.badge} data-tone={user.disabled ? "danger" : "ok"}>
                  {user.disabled ? "Disabled" : "Active"}
                </span>
              </td>
              <td className={styles.nowrap}>
                {user.lastSignInAt ? <Stamp iso={user.lastSignInAt} /> : <span className={styles.muted}>never</span>}
              </td>
              <td>
                <div className={styles.rowActions}>
                  {isMe ? (
                    <Link href="/admin/account" className={`button button-secondary ${styles.compact}`}>
                      Change password
                    </Link>
                  ) : (
                    <button
                      type="button"
                      className={`button button-secondary ${styles.compact}`}
                      aria-label={`Set password for ${user.email}`}
                      onClick={() => onSetPassword(user)}
                    >
                      Set password
                    </button>
                  )}
                  <button
                    type="button"
                    className={`button ${styles.compact} ${user.disabled ? "button-secondary" : styles.dangerOutline}`}
                    disabled={isMe}
                    aria-label={`${user.disabled ? "Enable" : "Disable"} ${user.email}`}
                    onClick={() => setPending({ user, disabled: !user.disabled })}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        open={pending !== null}
        title={title}
        tone={pending && "disabled" in pending && pending.disabled ? "danger" : "default"}
        confirmLabel={
          !pending ? "Confirm" : "role" in pending ? "Change role" : pending.disabled ? "Disable" : "Enable"
        }
        pending={update.isPending}
        error={update.error ? errorMessage(update.error) : null}
        onConfirm={() =>
          pending &&
          update.mutate(
            "role" in pending
              ? { id: pending.user.id, role: pending.role }
              : { id: pending.user.id, disabled: pending.disabled },
            { onSuccess: close },
          )
        }
        onCancel={close}
      >
        <p>{effect}</p>
      </ConfirmDialog>
    </>
  );
}
