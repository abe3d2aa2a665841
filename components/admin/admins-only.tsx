import Link from "next/link";
import styles from "./admin.module.css";

export function AdminsOnly() {
  return (
    <section className={styles.panel} aria-labelledby="admins-only-title" data-testid="admins-only">
      <h1 id="admins-only-title" className={styles.title}>
        Admins only
      </h1>
      <p className={styles.muted}>Managing console users needs the admin role. Ask an admin to change your role.</p>
      <p>
        <Link href="/admin">Back to the dashboard</Link>
      </p>
    </section>
  );
}
