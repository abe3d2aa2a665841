import { LANGS, type Lang } from "@/components/waiting/negotiate-language";

// Language names for the console, in English (the console's language), from the browser's own
// data: every code in LANGS gets a name without a dictionary to keep in step.
const names = new Intl.DisplayNames(["en"], { type: "language" });

export function languageName(lang: Lang): string {
  return names.of(lang) ?? lang;
}

export const languageOptions: readonly { value: Lang; label: string }[] = LANGS.map((lang) => ({
  value: lang,
  label: `${languageName(lang)} (${lang})`,
}));
