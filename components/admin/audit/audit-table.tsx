"use client";

import type { AuditRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { formatDateTime, timeZoneName } from "../common/format";
import { roleLabels } from "../common/roles";
import auditStyles from "./audit.module.css";
import { actionLabels, actorName } from "./audit-actor";
import { type ChangeLine, describeChange } from "./audit-change";

const SHOWN_LINES = 3;

const dateFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The date and the time on the reader's clock (always both: a log is read days later). */
function When({ iso }: { iso: string }) {
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatDateTime(iso)} data-testid="audit-when">
      <span className={styles.stampDay}>{dateFormat.format(date)}</span>
      {timeFormat.format(date)}
    </time>
  );
}

function ChangeLines({ lines }: { lines: ChangeLine[] }) {
  return (
    <ul className={styles.changeList}>
      {lines.map((line) => (
        <li key={line.key ?? "value"} data-field={line.key ?? undefined}>
          {line.label ? <span className={styles.changeKey}>{line.label}:</span> : null}{" "}
          {line.before !== null ? <span className={styles.changeBefore}>{line.before}</span> : null}
          {line.before !== null && line.after !== null ? " → " : null}
          {line.after !== null ? <span className={styles.changeAfter}>{line.after}</span> : null}
        </li>
      ))}
    </ul>
  );
}

// Long changes (a whole room created or deleted) show their first lines; the rest on request.
function Change({ record }: { record: AuditRecord }) {
  const lines = describeChange(record.before, record.after);
  if (lines.length === 0) return <span className={styles.muted}>—</span>;
  if (lines.length <= SHOWN_LINES + 1) return <ChangeLines lines={lines} />;
  return (
    <>
      <ChangeLines lines={lines.slice(0, SHOWN_LINES)} />
      <details className={styles.more}>
        <summary>{lines.length - SHOWN_LINES} more</summary>
        <ChangeLines lines={lines.slice(SHOWN_LINES)} />
      </details>
    </>
  );
}

function Who({ record }: { record: AuditRecord }) {
  if (record.actorKind === "system") {
    return (
      <>
        <span className={auditStyles.system} data-testid="audit-actor" data-actor-kind="system">
          {actorName(record)}
        </span>
        <div className={`${styles.small} ${styles.muted}`}>automatic, not a person</div>
      </>
    );
  }
  return (
    <>
      <div className={auditStyles.person} data-testid="audit-actor" data-actor-kind="person">
        {record.actorEmail}
      </div>
      <div className={`${styles.small} ${styles.muted}`}>
        {roleLabels[record.actorRole] ?? record.actorRole}
        {record.ip ? ` · ${record.ip}` : ""}
      </div>
    </>
  );
}

export function AuditTable({ records }: { records: AuditRecord[] }) {
  return (
    <div className={auditStyles.stacked}>
      <DataTable
        testId="audit-table"
        caption="Audit log, newest first"
        // Rendered in the browser only (the log is fetched there), so the zone is the reader's.
        columns={[
          { label: `When (${timeZoneName()})` },
          { label: "Who" },
          { label: "Action" },
          { label: "Change and reason" },
        ]}
        empty="No entries match."
      >
        {records.map((record) => (
          <tr key={record.id} data-action={record.action}>
            <th scope="row" className={styles.nowrap}>
              <When iso={record.at} />
            </th>
            <td>
              <Who record={record} />
            </td>
            <td>
              <div>{actionLabels[record.action] ?? record.action}</div>
              <code className={`${auditStyles.actionCode} ${styles.nowrap}`}>{record.action}</code>
              {record.roomId ? (
                <div className={styles.small}>
                  room <code>{record.roomId}</code>
                </div>
              ) : null}
              {record.target ? (
                <div className={`${styles.small} ${styles.muted} ${styles.mono}`} title={record.target}>
                  {record.target.length > 20 ? `${record.target.slice(0, 18)}…` : record.target}
                </div>
              ) : null}
            </td>
            <td>
              <Change record={record} />
              {record.reason ? <p className={styles.reason}>Reason: {record.reason}</p> : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
