"use client";

import styles from "./admin.module.css";
import { formatCount } from "./format";

type PagerProps = {
  page: number;
  pageSize: number;
  total: number;
  /** "visitors", "entries" */
  noun: string;
  onPage: (page: number) => void;
};

export function Pager({ page, pageSize, total, noun, onPage }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className={styles.pager} aria-label={`Pages of ${noun}`}>
      <span className={styles.muted}>
        {total === 0
          ? `No ${noun}`
          : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun} · page ${formatCount(page)} of ${formatCount(pages)}`}
      </span>
      <span className={styles.pagerButtons}>
        <button
          type="button"
          className={`button button-secondary ${styles.compact}`}
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
        >
          Previous
        </button>
        <button
          type="button"
          className={`button button-secondary ${styles.compact}`}
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
        >
          Next
        </button>
      </span>
    </nav>
  );
}
