// The audit page's filters as URL search params.
export type AuditSearch = { room: string; action: string; page: number };

type RawParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

export function parseAuditSearch(params: RawParams): AuditSearch {
  const page = Number.parseInt(first(params.page), 10);
  return {
    room: first(params.room).slice(0, 40),
    action: first(params.action).slice(0, 60),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function auditSearchString(search: AuditSearch): string {
  const params = new URLSearchParams();
  if (search.room) params.set("room", search.room);
  if (search.action) params.set("action", search.action);
  if (search.page > 1) params.set("page", String(search.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
