// The tokens page's filters as URL search params, so a filtered view can be shared or reloaded.
export type TokenStateFilter = "all" | "waiting" | "admitted";
export type TokenSearch = { room: string; state: TokenStateFilter; search: string; page: number };

type RawParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

export function parseTokenSearch(params: RawParams): TokenSearch {
  const state = first(params.state);
  const page = Number.parseInt(first(params.page), 10);
  return {
    room: first(params.room),
    state: state === "waiting" || state === "admitted" ? state : "all",
    search: first(params.search).slice(0, 100),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function tokenSearchString(search: TokenSearch): string {
  const params = new URLSearchParams();
  if (search.room) params.set("room", search.room);
  if (search.state !== "all") params.set("state", search.state);
  if (search.search) params.set("search", search.search);
  if (search.page > 1) params.set("page", String(search.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
