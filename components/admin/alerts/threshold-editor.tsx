"use client";

import { type FormEvent, useState } from "react";
import { errorMessage } from "@/components/queries/api";
import { useCreateThreshold } from "@/components/queries/use-create-threshold";
import { useUpdateThreshold } from "@/components/queries/use-update-threshold";
import type { AlertComparator, AlertMetric, AlertThresholdRecord } from "@/server/admin/admin-types";
import styles from "../common/admin.module.css";
import { CheckField, Field, FormMessages, SaveCancel, TextField } from "../common/form-field";
import { formatDuration } from "../common/format";
import {
  comparatorInfo,
  comparatorOptions,
  describeRule,
  emptyThresholdForm,
  MAX_COOLDOWN_SECONDS,
  MAX_FOR_SAMPLES,
  MAX_NAME_LENGTH,
  metricInfo,
  metricOptions,
  type ThresholdFormErrors,
  type ThresholdFormValues,
  thresholdFormFrom,
  topicArnHint,
  validateThresholdForm,
} from "./threshold-form";

type ThresholdEditorProps = {
  roomId: string;
  /** The rule to edit; null creates one. */
  threshold: AlertThresholdRecord | null;
  onClose: () => void;
  onSaved: (message: string) => void;
};

// POST or PATCH /api/admin/rooms/:room/thresholds: an alert rule on one of the room's sampled
// figures. A preview line reads the rule back as it will be judged.
export function ThresholdEditor({ roomId, threshold, onClose, onSaved }: ThresholdEditorProps) {
  const create = useCreateThreshold(roomId);
  const update = useUpdateThreshold(roomId);
  const mutation = threshold ? update : create;
  const [values, setValues] = useState<ThresholdFormValues>(() =>
    threshold ? thresholdFormFrom(threshold) : emptyThresholdForm,
  );
  const [errors, setErrors] = useState<ThresholdFormErrors>({});
  const set = <K extends keyof ThresholdFormValues>(key: K, value: ThresholdFormValues[K]) =>
    setValues({ ...values, [key]: value });
  const id = (name: string) => `threshold-${threshold?.id ?? "new"}-${name}`;
  const preview = validateThresholdForm(values).input;
  const unit = metricInfo[values.metric].unit.trim();

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = validateThresholdForm(values);
    setErrors(result.errors);
    if (!result.input) return;
    const input = result.input;
    const done = (saved: AlertThresholdRecord) => onSaved(`Saved “${saved.name || describeRule(saved)}”.`);
    if (threshold) update.mutate({ id: threshold.id, ...input }, { onSuccess: (data) => done(data.threshold) });
    else create.mutate(input, { onSuccess: (data) => done(data.threshold) });
  }

  const number = (key: "value" | "forSamples" | "recoverValue" | "cooldownSeconds", label: string, hint: string) => (
    <TextField
      id={id(key)}
      label={label}
      hint={hint}
      error={errors[key]}
      type="number"
      inputMode={key === "value" || key === "recoverValue" ? "decimal" : "numeric"}
      step={key === "value" || key === "recoverValue" ? "any" : 1}
      min={key === "forSamples" ? 1 : 0}
      max={key === "forSamples" ? MAX_FOR_SAMPLES : key === "cooldownSeconds" ? MAX_COOLDOWN_SECONDS : undefined}
      value={values[key]}
      onValueChange={(value) => set(key, value)}
    />
  );

  return (
    <section className={styles.panel} aria-labelledby={id("title")} data-testid="threshold-editor">
      <div className={styles.panelHeader}>
        <h3 id={id("title")} className={styles.panelTitle}>
          {threshold ? "Edit threshold" : "New threshold"}
        </h3>
        <button type="button" className={`button button-secondary ${styles.compact}`} onClick={onClose}>
          Close
        </button>
      </div>
      <form className={styles.form} onSubmit={submit} noValidate>
        <div className={styles.formGrid}>
          <TextField
            id={id("name")}
            label="Name"
            hint="Optional; shown in notifications."
            error={errors.name}
            value={values.name}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="off"
            onValueChange={(value) => set("name", value)}
          />
          <Field id={id("metric")} label="Metric">
            {(control) => (
              <select
                {...control}
                className={styles.select}
                value={values.metric}
                onChange={(event) => set("metric", event.target.value as AlertMetric)}
              >
                {metricOptions.map((metric) => (
                  <option key={metric} value={metric}>
                    {metricInfo[metric].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={id("comparator")} label="Alarm when it is">
            {(control) => (
              <select
                {...control}
                className={styles.select}
                value={values.comparator}
                onChange={(event) => set("comparator", event.target.value as AlertComparator)}
              >
                {comparatorOptions.map((comparator) => (
                  <option key={comparator} value={comparator}>
                    {comparatorInfo[comparator].symbol} {comparatorInfo[comparator].words}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {number("value", unit ? `Value (${unit})` : "Value", "The alarm level.")}
          {number(
            "forSamples",
            "For samples in a row",
            "One sample every 10 s by default; more samples, fewer false alarms.",
          )}
          {number("recoverValue", "Recover at", "Optional: back to OK only past this (a band against flapping).")}
          {number(
            "cooldownSeconds",
            "Cooldown (seconds)",
            `No second ALARM notification sooner than this${values.cooldownSeconds ? ` (${formatDuration(Number(values.cooldownSeconds))})` : ""}.`,
          )}
          <TextField
            id={id("topic")}
            label="Own SNS topic ARN"
            hint={`Optional; else the room's channel. ${topicArnHint}`}
            error={errors.topicArn}
            className={`${styles.input} ${styles.mono}`}
            value={values.topicArn}
            spellCheck={false}
            autoComplete="off"
            onValueChange={(value) => set("topicArn", value)}
          />
        </div>
        <CheckField
          id={id("enabled")}
          label="Enabled"
          description="A disabled threshold is kept but not evaluated."
          checked={values.enabled}
          onChange={(checked) => set("enabled", checked)}
        />
        <p className={styles.note} aria-live="polite">
          {preview ? `Reads: ${describeRule(preview)}.` : "Fill in the value to see the rule."}
        </p>
        <FormMessages error={mutation.error ? errorMessage(mutation.error) : null} />
        <SaveCancel
          label={threshold ? "Save threshold" : "Add threshold"}
          pending={mutation.isPending}
          onCancel={onClose}
        />
      </form>
    </section>
  );
}
