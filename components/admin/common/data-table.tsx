"use client";

import { type ReactNode, useLayoutEffect, useRef } from "react";
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

/** The column a table's row actions live in: on a phone it spans the whole card. */
const actionsLabel = "Actions";

// The console's tables: a scrolling frame, a caption, a header row, and the rows or a line
// saying there are none. Falsy columns are left out (e.g. Actions for viewers).
//
// On a phone (admin.module.css, max-width 40rem) each row becomes a card: the row heading on
// top, each cell under its column's name, the actions across the bottom, so that nothing
// (above all Evict and Admit) sits beyond a horizontal scroll. The cells are the callers',
// so the column names are set on them here, after each render, as data-label.
export function DataTable({ testId, caption, columns, empty, children }: DataTableProps) {
  const shown = columns.filter((column): column is Column => Boolean(column));
  const tableRef = useRef<HTMLTableElement>(null);
  const labels = shown.map((column) => column.label).join("\u0000");

  // No dependency list on purpose: rows re-render with each poll, and new cells need labels.
  useLayoutEffect(() => {
    const names = labels.split("\u0000");
    for (const row of tableRef.current?.tBodies[0]?.rows ?? []) {
      let column = 0;
      for (const cell of row.cells) {
        const name = names[column];
        if (cell.colSpan === 1 && name && cell.dataset.label !== name) cell.dataset.label = name;
        if (name === actionsLabel) cell.dataset.actions = "";
        column += cell.colSpan;
      }
    }
  });

  return (
    <div className={styles.tableWrap} data-cards="">
      <table ref={tableRef} className={styles.table} data-testid={testId}>
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
