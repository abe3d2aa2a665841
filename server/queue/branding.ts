import { z } from "zod";
import { LANGS, type Lang } from "@/components/waiting/negotiate-language";

// A room's branding and default language: what they may hold, checked on the way into the store
// (admin API) and again on the way out (a stored value that no longer passes, e.g. a language a
// rollback dropped, must not break the waiting page). Plain module, no "server-only": the
// console checks its form with the same rules, as it does with bypass.ts.
// Language codes come from LANGS, so every language the waiting page speaks may carry a name.

// In the browser (the console checks its form with these schemas), zod must not compile its
// object parsers with `new Function`: the console's Content-Security-Policy forbids eval, and
// even zod's caught probe for it is reported as a violation. Set before any schema here is
// built, since each object schema decides when it is built.
if (typeof window !== "undefined") z.config({ jitless: true });

/** Text per language; a language left out falls back (components/waiting/room-brand.ts). */
export type LocalizedText = Partial<Record<Lang, string>>;

export type RoomBranding = {
  /** The name visitors see, per language; none: the room's name. */
  displayName: LocalizedText;
  /** A short notice on every visitor page, per language; plain text, never rendered as HTML. */
  message: LocalizedText;
  /** https (http only for localhost, for the demo); null: no logo. */
  logoUrl: string | null;
  /** "#rrggbb"; null: Floodgate's own colours. */
  accentColor: string | null;
};

export const emptyBranding: RoomBranding = Object.freeze({
  displayName: Object.freeze({}),
  message: Object.freeze({}),
  logoUrl: null,
  accentColor: null,
}) as RoomBranding;

export const displayNameMaxChars = 80;
export const messageMaxChars = 280;
export const logoUrlMaxChars = 500;

export const langSchema = z.enum(LANGS as unknown as [Lang, ...Lang[]], {
  error: () => `a language code, one of ${LANGS.join(", ")}`,
});

/** The room's default language; null: English, unless the browser names another. */
export const defaultLanguageSchema = langSchema.nullable();

// Control characters (other than a line break in a message) have no business in a notice, and
// bidirectional overrides can reorder or hide text; everything else, "<" included, is shown
// as typed.
function hasControlCharacter(text: string, allowLineBreaks: boolean): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (allowLineBreaks && (char === "\n" || char === "\r")) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

const displayNameText = z
  .string()
  .trim()
  .min(1, "a display name has 1 to 80 characters (leave the language out instead of empty)")
  .max(displayNameMaxChars, "a display name has at most 80 characters")
  .refine((text) => !hasControlCharacter(text, false), "a display name is one line of plain text");

const messageText = z
  .string()
  .trim()
  .min(1, "a message has 1 to 280 characters (leave the language out instead of empty)")
  .max(messageMaxChars, "a message has at most 280 characters")
  .refine(
    (text) => !hasControlCharacter(text, true),
    "a message is plain text (line breaks allowed, no control characters)",
  );

/** Text per language code: a key that is no language Floodgate speaks is refused by name. */
function localized(text: z.ZodType<string, unknown>) {
  return z
    .record(z.string(), text)
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (!(LANGS as readonly string[]).includes(key)) {
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `"${key.slice(0, 20)}" is not a language code, one of ${LANGS.join(", ")}`,
          });
        }
      }
    })
    .transform((map) => map as LocalizedText);
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a logo URL is refused, or null when it is fine. */
export function logoUrlProblem(value: string): string | null {
  if (value.length > logoUrlMaxChars) return `a logo URL has at most ${logoUrlMaxChars} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "the logo URL is not a URL (https://…)";
  }
  if (url.username || url.password) return "the logo URL must not hold a user name or password";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && loopbackHosts.has(url.hostname)) return null;
  if (url.protocol === "http:") return "the logo URL must use https (http only for localhost and 127.0.0.1)";
  return "the logo URL must be an https URL (no data:, javascript: or other schemes)";
}

const logoUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = logoUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const accentColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'the accent colour is "#rrggbb", six hex digits')
  .transform((hex) => hex.toLowerCase());

/**
 * The whole branding, as the admin API takes it: sent as a whole (fields left out are empty),
 * unknown keys refused so a misspelt field is not silently dropped.
 */
export const brandingSchema = z
  .object({
    displayName: localized(displayNameText).default({}),
    message: localized(messageText).default({}),
    logoUrl: logoUrl.nullable().default(null),
    accentColor: accentColor.nullable().default(null),
  })
  .strict() satisfies z.ZodType<RoomBranding, unknown>;

/**
 * Reads a stored branding (JSON text from SQL, or an object from DynamoDB). A value that does
 * not pass, or is not JSON, is no branding: `onInvalid` hears why, and the room keeps working.
 */
export function readStoredBranding(stored: unknown, onInvalid: (problem: string) => void): RoomBranding {
  let value = stored;
  if (typeof stored === "string") {
    try {
      value = JSON.parse(stored);
    } catch {
      onInvalid("branding is not JSON");
      return emptyBranding;
    }
  }
  if (value === undefined || value === null) return emptyBranding;
  const parsed = brandingSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  onInvalid(`branding: ${issue?.path.join(".") || "value"}: ${issue?.message ?? "invalid"}`);
  return emptyBranding;
}

/** Reads a stored default language; one Floodgate no longer speaks is none (and reported). */
export function readStoredLanguage(stored: unknown, onInvalid: (problem: string) => void): Lang | null {
  if (stored === undefined || stored === null) return null;
  const parsed = langSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  onInvalid(`defaultLanguage: ${JSON.stringify(stored).slice(0, 40)} is not a language Floodgate speaks`);
  return null;
}

/** Reports each stored problem once per key (a room is read on every restart and settings change). */
export function reportOnce(report: (problem: string, key: string) => void): (key: string, problem: string) => void {
  const seen = new Set<string>();
  return (key, problem) => {
    const id = `${key}\u0000${problem}`;
    if (seen.has(id)) return;
    // Bounded: a store reads a few rooms; past this, problems are no longer new information.
    if (seen.size >= 1_000) return;
    seen.add(id);
    report(problem, key);
  };
}
