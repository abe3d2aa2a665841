import { isSafeNextPath, pathOnOrigin } from "@/server/gate/next-path";

// Where to go after signing in. Only console paths on this origin: a callbackUrl pointing
// elsewhere (another site, //evil.example, /api/...) would turn sign-in into an open redirect.
// The site-wide rule (server/gate/next-path.ts) decides what is a path of this site; the value
// returned is the value checked, never a re-resolved form of it.
const FALLBACK = "/admin";

export function safeCallbackPath(raw: string | null | undefined, origin: string): string {
  if (!raw) return FALLBACK;
  const path = pathOnOrigin(raw, origin);
  if (!isSafeNextPath(path)) return FALLBACK;
  const pathname = path.split(/[?#]/, 1)[0] as string;
  const inConsole = pathname === "/admin" || pathname.startsWith("/admin/");
  if (!inConsole || pathname.startsWith("/admin/sign-in")) return FALLBACK;
  return path;
}
