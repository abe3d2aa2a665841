import type { ReactNode } from "react";
import styles from "./admin.module.css";

/** A column heading; `className` carries alignment (styles.num) or hiding (styles.wideOnly). */
export type Column = { label: string; className?: string };

type DataTableProps = {
  testId: string;
  /** Read to screen readers only: what the table lists, and in which order. */
  caption: string;
  columns: readonly (Column | null | false)[];
  /** Shown across the table when there are no rows (none: the caller shows its own). */
  empty?: ReactNode;
  /** The rows; empty when there are none. */
  children: ReactNode[];
};

// The console's tables: a scrolling frame, a caption, a header row, and the rows or a line
// saying there are none. Falsy columns are left out (e.g. Actions for viewers).
export function DataTable({ testId, caption, columns, empty, children }: DataTableProps) {
  const shown = columns.filter((column): column is Column => Boolean(column));
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {shown.map((column) => (
              <th key={column.label} scope="col" className={column.className}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {children.length === 0 && empty ? (
            <tr>
              <td colSpan={shown.length} className={styles.empty}>
                {empty}
              </td>
            </tr>
          ) : (
            children
          )}
        </tbody>
      </table>
    </div>
  );
}
