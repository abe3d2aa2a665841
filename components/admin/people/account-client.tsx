"use client";

import styles from "../common/admin.module.css";
import { PageHeader } from "../common/page-header";
import { roleDescriptions, roleLabels, roleTones } from "../common/roles";
import { useSessionUser } from "../common/session-context";
import accountStyles from "./account.module.css";
import { ChangePasswordForm } from "./change-password-form";

// /admin/account: who is signed in (from the layout's session, no request) and their password.
export function AccountClient() {
  const user = useSessionUser();
  return (
    <div className={styles.page}>
      <PageHeader title="Your account" subtitle="Who you are signed in as, and your password." />
      <section className={styles.panel} aria-labelledby="account-details-title">
        <h2 id="account-details-title" className={styles.panelTitle}>
          Signed in as
        </h2>
        <dl className={accountStyles.facts} data-testid="account-details">
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Name</dt>
            <dd>{user.name || <span className={styles.muted}>not set</span>}</dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>
              <span className={styles.badge} data-tone={roleTones[user.role]}>
                {roleLabels[user.role]}
              </span>{" "}
              <span className={`${styles.small} ${styles.muted}`}>{roleDescriptions[user.role]}</span>
            </dd>
          </div>
        </dl>
        <p className={styles.note}>Only an admin can change your role or name.</p>
      </section>
      <ChangePasswordForm email={user.email} />
    </div>
  );
}
