// The branding section's values (as typed), their checks, and the patch they turn into. The
// checks are the admin API's own (server/queue/branding.ts), so the messages beside the fields
// are the ones the server would give; the server checks again on save.

import { LANGS, type Lang } from "@/components/waiting/negotiate-language";
import type { BrandedRoom } from "@/components/waiting/room-brand";
import { brandingSchema, defaultLanguageSchema, type LocalizedText, type RoomBranding } from "@/server/queue/branding";

export type BrandingFormValues = {
  /** "": none (English unless the browser names another). */
  defaultLanguage: Lang | "";
  accentColor: string;
  logoUrl: string;
  /** One entry per language; "" leaves the language out. */
  displayName: Record<Lang, string>;
  message: Record<Lang, string>;
};

/** Field keys: "accentColor", "logoUrl", "defaultLanguage", "displayName.ko", "message.en"… */
export type BrandingFormErrors = Partial<Record<string, string>>;

export type BrandingPatch = { defaultLanguage: Lang | null; branding: RoomBranding };

const perLanguage = (text: LocalizedText): Record<Lang, string> =>
  Object.fromEntries(LANGS.map((lang) => [lang, text[lang] ?? ""])) as Record<Lang, string>;

export function brandingFormFrom(room: { defaultLanguage: Lang | null; branding: RoomBranding }): BrandingFormValues {
  return {
    defaultLanguage: room.defaultLanguage ?? "",
    accentColor: room.branding.accentColor ?? "",
    logoUrl: room.branding.logoUrl ?? "",
    displayName: perLanguage(room.branding.displayName),
    message: perLanguage(room.branding.message),
  };
}

/** Languages with text, the blank ones left out (a blank entry means "use the fallback"). */
function filled(text: Record<Lang, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(text).filter(([, value]) => value.trim() !== ""));
}

function rawBranding(values: BrandingFormValues) {
  return {
    displayName: filled(values.displayName),
    message: filled(values.message),
    logoUrl: values.logoUrl.trim() === "" ? null : values.logoUrl,
    accentColor: values.accentColor.trim() === "" ? null : values.accentColor.trim(),
  };
}

/** Checks every field; returns the patch when all are valid, else a message per bad field. */
export function validateBrandingForm(values: BrandingFormValues): {
  errors: BrandingFormErrors;
  patch: BrandingPatch | null;
} {
  const errors: BrandingFormErrors = {};
  const language = defaultLanguageSchema.safeParse(values.defaultLanguage === "" ? null : values.defaultLanguage);
  if (!language.success) errors.defaultLanguage = capitalize(language.error.issues[0]?.message ?? "Pick a language.");
  const branding = brandingSchema.safeParse(rawBranding(values));
  if (!branding.success) {
    for (const issue of branding.error.issues) {
      const key = issue.path.join(".");
      errors[key] ??= capitalize(issue.message);
    }
  }
  if (!language.success || !branding.success) return { errors, patch: null };
  return { errors, patch: { defaultLanguage: language.data, branding: branding.data } };
}

/**
 * What the preview shows while the operator types: each field as typed when it passes its
 * check, else as if empty (a half-typed colour does not paint the page).
 */
export function previewRoom(values: BrandingFormValues, roomName: string): BrandedRoom {
  const raw = rawBranding(values);
  const valid = <T>(schema: { safeParse: (v: unknown) => { success: boolean; data?: T } }, value: unknown) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? (parsed.data as T) : undefined;
  };
  const field = brandingSchema.shape;
  const texts = (all: Record<string, string>, schema: typeof field.displayName) =>
    Object.fromEntries(
      Object.entries(all).filter(([lang, text]) => valid(schema, { [lang]: text }) !== undefined),
    ) as LocalizedText;
  return {
    name: roomName,
    defaultLanguage: valid<Lang | null>(defaultLanguageSchema, values.defaultLanguage || null) ?? null,
    branding: {
      displayName: texts(raw.displayName, field.displayName),
      message: texts(raw.message, field.message),
      logoUrl: valid<string | null>(field.logoUrl, raw.logoUrl) ?? null,
      accentColor: valid<string | null>(field.accentColor, raw.accentColor) ?? null,
    },
  };
}

/** True when the values mean the room's current branding (nothing to save). */
export function sameBranding(patch: BrandingPatch, room: BrandingPatch): boolean {
  return JSON.stringify(normalized(patch)) === JSON.stringify(normalized(room));
}

function normalized({ defaultLanguage, branding }: BrandingPatch) {
  const sorted = (text: LocalizedText) => LANGS.flatMap((lang) => (text[lang] ? [[lang, text[lang]]] : []));
  return [
    defaultLanguage,
    sorted(branding.displayName),
    sorted(branding.message),
    branding.logoUrl,
    branding.accentColor,
  ];
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
