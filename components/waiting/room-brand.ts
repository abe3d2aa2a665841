import type { LocalizedText, RoomBranding } from "@/server/queue/branding";
import { type AccentPalette, accentCustomProperties, accentPalette } from "./accent-colors";
import type { Lang } from "./negotiate-language";

// What a room's visitor pages show of its branding, in one language. Every page a visitor of
// the room sees (the waiting page in each state, the gate's own full/closed/slow-down pages,
// the console's preview) resolves it here, so the fallbacks are the same everywhere.

export type BrandedRoom = {
  name: string;
  defaultLanguage: Lang | null;
  branding: RoomBranding;
};

export type RoomBrand = {
  /** The page's language's name, else the room default language's, else the room's name. */
  displayName: string;
  /** The same fallback; null: no notice. Plain text. */
  message: string | null;
  logoUrl: string | null;
  /** null: Floodgate's own colours. */
  palette: AccentPalette | null;
};

/** The text for the page's language, else for the room's default language. */
export function localizedText(text: LocalizedText, lang: Lang, defaultLanguage: Lang | null): string | undefined {
  return text[lang] ?? (defaultLanguage ? text[defaultLanguage] : undefined);
}

export function resolveRoomBrand(room: BrandedRoom, lang: Lang): RoomBrand {
  const { branding, defaultLanguage } = room;
  return {
    displayName: localizedText(branding.displayName, lang, defaultLanguage) ?? room.name,
    message: localizedText(branding.message, lang, defaultLanguage) ?? null,
    logoUrl: branding.logoUrl,
    palette: branding.accentColor ? accentPalette(branding.accentColor) : null,
  };
}

/** Custom properties for the page root (none without an accent colour). */
export function brandCustomProperties(brand: RoomBrand): Record<string, string> {
  return brand.palette ? accentCustomProperties(brand.palette) : {};
}
