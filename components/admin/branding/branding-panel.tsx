"use client";

import { type FormEvent, useMemo, useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";
import { useUpdateRoom } from "@/components/queries/use-update-room";
import { DEFAULT_LANG, type Lang } from "@/components/waiting/negotiate-language";
import type { AdminRoom } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { ConfirmDialog } from "../common/confirm-dialog";
import { FormMessages } from "../common/form-field";
import { useCan } from "../common/session-context";
import brandingStyles from "./branding.module.css";
import { BrandingFields } from "./branding-fields";
import {
  type BrandingFormErrors,
  type BrandingPatch,
  brandingFormFrom,
  previewRoom,
  sameBranding,
  validateBrandingForm,
} from "./branding-form";
import { BrandingPreview, type PreviewState } from "./branding-preview";

// PATCH /api/admin/rooms/:room with { branding, defaultLanguage }: the room's look on every
// page its visitors see, edited beside a live preview; saved (and audited) as one change.
export function BrandingPanel({ room }: { room: AdminRoom }) {
  const mayEdit = useCan("operator");
  const updateRoom = useUpdateRoom(room.id);
  const [values, setValues] = useState(() => brandingFormFrom(room));
  const [errors, setErrors] = useState<BrandingFormErrors>({});
  const [pending, setPending] = useState<BrandingPatch | null>(null);
  const [saved, setSaved] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [previewLang, setPreviewLang] = useState<Lang>(room.defaultLanguage ?? DEFAULT_LANG);
  const [previewState, setPreviewState] = useState<PreviewState>("waiting");
  const branded = useMemo(() => previewRoom(values, room.name), [values, room.name]);

  function edit(next: typeof values) {
    setValues(next);
    setSaved(false);
    // Errors shown go away as their field is fixed, and no new ones appear mid-typing.
    if (Object.keys(errors).length > 0) setErrors(validateBrandingForm(next).errors);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setServerError(null);
    const result = validateBrandingForm(values);
    setErrors(result.errors);
    if (!result.patch) return;
    if (sameBranding(result.patch, room)) {
      setServerError("Nothing to save: this is the room's current branding.");
      return;
    }
    updateRoom.reset();
    setPending(result.patch);
  }

  function confirm(reason: string) {
    if (!pending) return;
    updateRoom.mutate(
      { ...pending, reason: reason || undefined },
      {
        onSuccess: (data) => {
          setPending(null);
          setValues(brandingFormFrom(data.room));
          setSaved(true);
        },
        onError: (error) => {
          if (error instanceof ApiRequestError && (error.status === 422 || error.status === 400)) {
            setPending(null);
            setServerError(error.message);
          }
        },
      },
    );
  }

  return (
    <section className={styles.panel} aria-labelledby="branding-title" data-testid="branding-panel">
      <div className={styles.panelHeader}>
        <h2 id="branding-title" className={styles.panelTitle}>
          Branding
        </h2>
        {!mayEdit ? <span className={styles.note}>Operators can change the branding</span> : null}
      </div>
      <p className={`${styles.small} ${styles.muted}`}>
        What visitors of this room see on the waiting page in every state and on the room full, closed and slow-down
        pages.
      </p>
      <div className={brandingStyles.layout}>
        <form className={brandingStyles.fields} onSubmit={submit} noValidate>
          <BrandingFields
            values={values}
            errors={errors}
            onChange={edit}
            onLanguageFocus={setPreviewLang}
            disabled={!mayEdit}
          />
          <FormMessages error={serverError} success={saved ? "Branding saved." : null} />
          {mayEdit ? (
            <div className={styles.formActions}>
              <button type="submit" className="button" disabled={updateRoom.isPending}>
                Save branding
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setValues(brandingFormFrom(room));
                  setErrors({});
                  setServerError(null);
                }}
              >
                Reset
              </button>
            </div>
          ) : null}
        </form>
        <BrandingPreview
          room={room}
          branded={branded}
          lang={previewLang}
          onLang={setPreviewLang}
          state={previewState}
          onState={setPreviewState}
        />
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={`Save the branding of ${room.name}?`}
        confirmLabel="Save"
        reason="optional"
        pending={updateRoom.isPending}
        error={updateRoom.error ? errorMessage(updateRoom.error) : null}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        <p>Visitors see it when their page next loads. The change is recorded in the audit log.</p>
      </ConfirmDialog>
    </section>
  );
}
