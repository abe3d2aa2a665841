import Link from "next/link";
import styles from "./admin.module.css";

/** A page only admins may use; `task` says what it is for ("Managing console users"). */
export function AdminsOnly({ task = "Managing console users" }: { task?: string }) {
  return (
    <section className={styles.panel} aria-labelledby="admins-only-title" data-testid="admins-only">
      <h1 id="admins-only-title" className={styles.title}>
        Admins only
      </h1>
      <p className={styles.muted}>{task} needs the admin role. Ask an admin to change your role.</p>
      <p>
        <Link href="/admin">Back to the dashboard</Link>
      </p>
    </section>
  );
}
