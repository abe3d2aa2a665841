import "server-only";
import { cookies, headers } from "next/headers";
import { LANG_COOKIE, type Lang } from "./negotiate-language";
import { languageFor } from "./room-language";

// A room's pages read the visitor's language here: as readRequestLanguage, with the room's
// default language before English (room-language.ts).
export async function readRoomLanguage(defaultLanguage: Lang | null): Promise<Lang> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return languageFor(defaultLanguage, cookieStore.get(LANG_COOKIE)?.value, headerList.get("accept-language"));
}
