"use client";

import { LANGS, type Lang } from "@/components/waiting/negotiate-language";
import { messageMaxChars } from "@/server/queue/branding";
import styles from "../common/admin.module.css";
import { Field, TextField } from "../common/form-field";
import brandingStyles from "./branding.module.css";
import type { BrandingFormErrors, BrandingFormValues } from "./branding-form";
import { languageName, languageOptions } from "./language-names";

type BrandingFieldsProps = {
  values: BrandingFormValues;
  errors: BrandingFormErrors;
  onChange: (values: BrandingFormValues) => void;
  /** A language's row took focus: the preview switches to it. */
  onLanguageFocus: (lang: Lang) => void;
  disabled?: boolean;
};

/** Floodgate's own accent, what the colour picker shows while the room has none. */
const floodgateAccent = "#1f57c9";

export function BrandingFields({ values, errors, onChange, onLanguageFocus, disabled }: BrandingFieldsProps) {
  const set = <K extends keyof BrandingFormValues>(key: K, value: BrandingFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const setText = (key: "displayName" | "message", lang: Lang, text: string) =>
    onChange({ ...values, [key]: { ...values[key], [lang]: text } });
  const pickerValue = /^#[0-9a-f]{6}$/i.test(values.accentColor.trim())
    ? values.accentColor.trim().toLowerCase()
    : floodgateAccent;

  return (
    <>
      <div className={styles.formGrid}>
        <Field
          id="branding-default-language"
          label="Default language"
          hint="For visitors whose browser asks for no language the waiting page speaks (their own choice still wins)."
          error={errors.defaultLanguage}
        >
          {(control) => (
            <select
              {...control}
              className={styles.select}
              value={values.defaultLanguage}
              disabled={disabled}
              onChange={(event) => set("defaultLanguage", event.target.value as Lang | "")}
            >
              <option value="">None (English)</option>
              {languageOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="branding-accent"
          label="Accent colour"
          hint="Buttons, progress bar and links. Empty: Floodgate's blue. Shaded where needed so text stays readable."
          error={errors.accentColor}
        >
          {(control) => (
            <div className={brandingStyles.colorRow}>
              <input
                type="color"
                className={brandingStyles.colorPicker}
                value={pickerValue}
                disabled={disabled}
                aria-label="Pick the accent colour"
                onChange={(event) => set("accentColor", event.target.value)}
              />
              <input
                {...control}
                className={`${styles.input} ${styles.mono}`}
                value={values.accentColor}
                placeholder="#rrggbb"
                spellCheck={false}
                autoComplete="off"
                disabled={disabled}
                onChange={(event) => set("accentColor", event.target.value)}
              />
            </div>
          )}
        </Field>
        <TextField
          id="branding-logo"
          label="Logo URL"
          hint="https://… (http only for localhost). Shown beside the name, at most 2.5rem high."
          error={errors.logoUrl}
          value={values.logoUrl}
          type="url"
          inputMode="url"
          placeholder="No logo"
          spellCheck={false}
          autoComplete="off"
          disabled={disabled}
          onValueChange={(value) => set("logoUrl", value)}
        />
      </div>

      <fieldset className={brandingStyles.languages} disabled={disabled}>
        <legend className={styles.label}>Name and message per language</legend>
        <p className={styles.hint}>
          Leave a language empty to show the default language's text, or else the room's name and no message. Plain
          text: nothing is rendered as HTML or markdown.
        </p>
        {LANGS.map((lang) => (
          <fieldset
            key={lang}
            className={brandingStyles.languageRow}
            data-testid={`branding-language-${lang}`}
            onFocus={() => onLanguageFocus(lang)}
          >
            <legend className={brandingStyles.languageName}>
              {languageName(lang)} <span className={styles.muted}>({lang})</span>
            </legend>
            <TextField
              id={`branding-name-${lang}`}
              label={`Display name, ${languageName(lang)}`}
              error={errors[`displayName.${lang}`]}
              value={values.displayName[lang]}
              lang={lang}
              onValueChange={(value) => setText("displayName", lang, value)}
            />
            <Field
              id={`branding-message-${lang}`}
              label={`Message, ${languageName(lang)}`}
              hint={`${values.message[lang].trim().length} / ${messageMaxChars}`}
              error={errors[`message.${lang}`]}
            >
              {(control) => (
                <textarea
                  {...control}
                  className={styles.textarea}
                  value={values.message[lang]}
                  rows={2}
                  lang={lang}
                  onChange={(event) => setText("message", lang, event.target.value)}
                />
              )}
            </Field>
          </fieldset>
        ))}
      </fieldset>
    </>
  );
}
