// Where to go after signing in. Only console paths on this origin: a callbackUrl pointing
// elsewhere (another site, //evil.example, /api/...) would turn sign-in into an open redirect.
const FALLBACK = "/admin";

export function safeCallbackPath(raw: string | null | undefined, origin: string): string {
  if (!raw) return FALLBACK;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== origin) return FALLBACK;
  const inConsole = url.pathname === "/admin" || url.pathname.startsWith("/admin/");
  if (!inConsole || url.pathname.startsWith("/admin/sign-in")) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
