"use client";

import { useEffect, useState } from "react";
import styles from "../common/admin.module.css";

// How a push server calls the surge trigger: the request as curl, with this console's address.
// The key comes from an environment variable, never pasted into a shell history.
export function SurgeTriggerExample({ room }: { room: string }) {
  // The address is only known in the browser; the server would render its own idea of it.
  const [origin, setOrigin] = useState("https://floodgate.example.com");
  useEffect(() => setOrigin(window.location.origin), []);
  const example = [
    `curl -X POST ${origin}/api/triggers/surge \\`,
    `  -H "Authorization: Bearer $FLOODGATE_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: push-$(date +%s)" \\`,
    `  -d '{"room":"${room}","capacity":500,"holdMinutes":30}'`,
  ].join("\n");
  return (
    <section className={styles.panel} aria-labelledby="surge-example-title">
      <h2 id="surge-example-title" className={styles.panelTitle}>
        Calling the surge trigger
      </h2>
      <p className={styles.note}>
        Send this as the push goes out. <code>capacity</code> and <code>holdMinutes</code> are optional (the room's
        surge policy fills them in); a repeated call extends the hold. Reusing an <code>Idempotency-Key</code> within 24
        hours returns the first answer instead of acting twice.
      </p>
      <pre className={styles.code} data-testid="surge-example">
        <code>{example}</code>
      </pre>
      <p className={styles.note}>
        Answers: 201 started, 200 extended, 401 unknown or revoked key, 403 room outside the key's rooms, 422 nothing to
        raise to.
      </p>
    </section>
  );
}
