"use client";

import type { AuditRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { DataTable } from "../common/data-table";
import { roleLabels } from "../common/roles";
import { Stamp } from "../common/stamp";
import { type ChangeLine, describeChange } from "./audit-change";

const SHOWN_LINES = 3;

function ChangeLines({ lines }: { lines: ChangeLine[] }) {
  return (
    <ul className={styles.changeList}>
      {lines.map((line) => (
        <li key={line.key ?? "value"}>
          {line.key ? <span className={styles.changeKey}>{line.key}</span> : null}{" "}
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

export function AuditTable({ records }: { records: AuditRecord[] }) {
  return (
    <DataTable
      testId="audit-table"
      caption="Audit log, newest first"
      columns={[{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Change and reason" }]}
      empty="No entries match."
    >
      {records.map((record) => (
        <tr key={record.id}>
          <th scope="row" className={styles.nowrap}>
            <Stamp iso={record.at} />
          </th>
          <td>
            <div>{record.actorEmail}</div>
            <div className={`${styles.small} ${styles.muted}`}>
              {roleLabels[record.actorRole] ?? record.actorRole}
              {record.ip ? ` · ${record.ip}` : ""}
            </div>
          </td>
          <td>
            <code className={styles.nowrap}>{record.action}</code>
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
  );
}
