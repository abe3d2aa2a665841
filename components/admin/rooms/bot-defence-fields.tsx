"use client";

import styles from "../common/admin.module.css";
import { CheckField, ChoiceGroup, TextField } from "../common/form-field";
import { formatCount } from "../common/format";
import { LinesField } from "./room-fields";
import type { RoomFormErrors, RoomFormValues } from "./room-form";

// The room form's bot defence: the proof-of-work challenge, blocked address ranges, and the
// infinite line that suspicious arrivals can be sent to instead of an error.

type BotDefenceFieldsProps = {
  id: (name: string) => string;
  values: RoomFormValues;
  errors: RoomFormErrors;
  set: <K extends keyof RoomFormValues>(key: K, value: RoomFormValues[K]) => void;
  disabled?: boolean;
};

const challengeChoices = [
  { value: "off", label: "No challenge", description: "Anyone who asks gets a place in line." },
  {
    value: "pow",
    label: "Proof of work",
    description:
      "A browser solves a small puzzle before it gets a place (about a second on a phone, shown as “Checking your browser”). Each solution buys one place, so scripts pay per place.",
  },
] as const;

/** "About 0.3 s on a phone" for a difficulty, from a phone's rate of 50,000 tries a second (half the range on average). */
function phoneSeconds(difficulty: string): string | null {
  const value = Number(difficulty);
  if (!Number.isInteger(value) || value <= 0) return null;
  const averageS = value / 2 / 50_000;
  return averageS < 10 ? averageS.toFixed(1) : formatCount(Math.round(averageS));
}

export function BotDefenceFields({ id, values, errors, set, disabled }: BotDefenceFieldsProps) {
  const seconds = phoneSeconds(values.challengeDifficulty);
  return (
    <>
      <ChoiceGroup
        legend="Bot challenge"
        name={id("challenge")}
        choices={challengeChoices}
        value={values.challenge}
        onChange={(challenge) => set("challenge", challenge)}
        disabled={disabled}
      />
      <div className={styles.formGrid}>
        {values.challenge === "pow" && (
          <TextField
            id={id("challenge-difficulty")}
            label="Challenge work"
            type="number"
            inputMode="numeric"
            min={1_000}
            step={1_000}
            hint={
              seconds
                ? `Tries a solver may need (half on average): about ${seconds} s on a phone, less on a laptop.`
                : "Tries a solver may need (half on average)."
            }
            error={errors.challengeDifficulty}
            value={values.challengeDifficulty}
            disabled={disabled}
            onValueChange={(value) => set("challengeDifficulty", value)}
          />
        )}
        <LinesField
          id={id("blocked")}
          label="Blocked addresses"
          hint="One range per line (CIDR), e.g. 203.0.113.0/24. They get no place (or the infinite line, below)."
          error={errors.blockedCidrs}
          value={values.blockedCidrs}
          placeholder="None"
          disabled={disabled}
          onChange={(value) => set("blockedCidrs", value)}
        />
      </div>
      <CheckField
        id={id("infinite-line")}
        label="Send suspicious arrivals to the infinite line"
        description="Blocked addresses, addresses over the per-address limit and forged challenge answers get a normal-looking place that never moves and is never let in, instead of an error they could adapt to. Counted apart on the room page."
        checked={values.infiniteLine}
        disabled={disabled}
        onChange={(checked) => set("infiniteLine", checked)}
      />
    </>
  );
}
