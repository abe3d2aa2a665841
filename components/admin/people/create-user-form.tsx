"use client";

import { type CreateUserInput, useCreateUser } from "@/components/queries/use-create-user";
import styles from "../common/admin.module.css";
import { CreatePanel } from "../common/create-panel";
import { ChoiceGroup, TextField } from "../common/form-field";
import { roleChoices, roleLabels } from "../common/roles";
import { type FormErrors, useCreateForm } from "../common/use-create-form";

const empty: CreateUserInput = { email: "", name: "", role: "viewer", password: "" };

function checkUser(values: CreateUserInput) {
  const errors: FormErrors<CreateUserInput> = {};
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = "Enter an email address.";
  if (values.name.trim() === "") errors.name = "Enter a name.";
  if (values.password.length < 12) errors.password = "At least 12 characters.";
  const valid = Object.keys(errors).length === 0;
  return { errors, input: valid ? { ...values, email: values.email.trim(), name: values.name.trim() } : null };
}

type TextSpec = {
  key: Exclude<keyof CreateUserInput, "role">;
  label: string;
  type?: "email" | "password";
  autoComplete: string;
  hint?: string;
};

const textFields: readonly TextSpec[] = [
  { key: "email", label: "Email", type: "email", autoComplete: "off" },
  { key: "name", label: "Name", autoComplete: "off" },
  {
    key: "password",
    label: "Password",
    type: "password",
    autoComplete: "new-password",
    hint: "At least 12 characters. Share it with them privately.",
  },
];

// POST /api/admin/users
export function CreateUserForm({ onClose }: { onClose: () => void }) {
  const createUser = useCreateUser();
  const form = useCreateForm({
    empty,
    validate: checkUser,
    mutation: createUser,
    conflict: { code: "user_exists", field: "email" },
  });
  const { values, setValues, created } = form;

  return (
    <CreatePanel
      noun="user"
      form={form}
      success={created ? `${created.email} can now sign in as ${roleLabels[created.role].toLowerCase()}.` : null}
      onSubmit={form.submitWith((input) => form.create(input))}
      onClose={onClose}
    >
      <div className={styles.formGrid}>
        {textFields.map((field) => (
          <TextField
            key={field.key}
            id={`new-user-${field.key}`}
            label={field.label}
            hint={field.hint}
            error={form.errors[field.key]}
            type={field.type}
            autoComplete={field.autoComplete}
            value={values[field.key]}
            onValueChange={(value) => setValues({ ...values, [field.key]: value })}
          />
        ))}
      </div>
      <ChoiceGroup
        legend="Role"
        name="new-user-role"
        choices={roleChoices}
        value={values.role}
        onChange={(role) => setValues({ ...values, role })}
      />
    </CreatePanel>
  );
}
