// The server's rule for new passwords (server/admin/schemas/users.ts), checked before sending
// so the common mistakes are named beside their field rather than as a 422 below the form.
import type { ChangeOwnPasswordInput } from "@/components/queries/use-change-own-password";
import type { FormErrors } from "../common/use-create-form";

const minPasswordLength = 12;
const maxPasswordLength = 1024;

export const newPasswordHint = `At least ${minPasswordLength} characters.`;

/** Why the server would refuse `password` as a new password; undefined when it will do. */
export function newPasswordProblem(password: string): string | undefined {
  if (password.length < minPasswordLength)
    return `Too short: ${password.length} of at least ${minPasswordLength} characters.`;
  if (password.length > maxPasswordLength) return `At most ${maxPasswordLength} characters.`;
  return undefined;
}

export type PasswordChangeValues = ChangeOwnPasswordInput & { repeatPassword: string };

/** Every field's message, and the body to send once none has one. */
export function checkPasswordChange(values: PasswordChangeValues) {
  const errors: FormErrors<PasswordChangeValues> = {};
  if (values.currentPassword === "") errors.currentPassword = "Enter your current password.";
  const problem = newPasswordProblem(values.newPassword);
  if (problem) errors.newPassword = problem;
  else if (values.newPassword === values.currentPassword)
    errors.newPassword = "Choose one that differs from the current password.";
  if (values.repeatPassword !== values.newPassword) errors.repeatPassword = "Does not match the new password.";
  const valid = Object.keys(errors).length === 0;
  const input: ChangeOwnPasswordInput | null = valid
    ? { currentPassword: values.currentPassword, newPassword: values.newPassword }
    : null;
  return { errors, input };
}
