import "server-only";
import type { Page } from "@/server/admin/admin-types";

/**
 * One page of a listing: the total count and the page's rows, read side by side, rows turned
 * into the API's records. `rows` gets the window to pass to findMany ({ skip, take }).
 */
export async function readPage<Row, Item>(
  filter: { page: number; pageSize: number },
  count: () => Promise<number>,
  rows: (window: { skip: number; take: number }) => Promise<Row[]>,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const [total, found] = await Promise.all([
    count(),
    rows({ skip: (filter.page - 1) * filter.pageSize, take: filter.pageSize }),
  ]);
  return { total, page: filter.page, pageSize: filter.pageSize, items: found.map(toItem) };
}
