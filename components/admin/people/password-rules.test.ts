import { describe, expect, it } from "vitest";
import { checkPasswordChange, newPasswordProblem, type PasswordChangeValues } from "./password-rules";

const good: PasswordChangeValues = {
  currentPassword: "old password 1",
  newPassword: "new password 12",
  repeatPassword: "new password 12",
};

describe("newPasswordProblem", () => {
  it.each([
    ["", "Too short: 0 of at least 12 characters."],
    ["elevenchars", "Too short: 11 of at least 12 characters."],
    ["x".repeat(1025), "At most 1024 characters."],
    ["twelve chars", undefined],
    ["x".repeat(1024), undefined],
  ])("%j -> %j", (password, problem) => {
    expect(newPasswordProblem(password)).toBe(problem);
  });
});

describe("checkPasswordChange", () => {
  it("sends the current and new password only, once everything is right", () => {
    expect(checkPasswordChange(good)).toEqual({
      errors: {},
      input: { currentPassword: "old password 1", newPassword: "new password 12" },
    });
  });

  it.each<[string, Partial<PasswordChangeValues>, Partial<Record<keyof PasswordChangeValues, string>>]>([
    ["no current password", { currentPassword: "" }, { currentPassword: "Enter your current password." }],
    [
      "a short new password (repeated)",
      { newPassword: "short", repeatPassword: "short" },
      { newPassword: "Too short: 5 of at least 12 characters." },
    ],
    [
      "a repeat that differs",
      { repeatPassword: "new password 13" },
      { repeatPassword: "Does not match the new password." },
    ],
    [
      "the same password again",
      { newPassword: good.currentPassword, repeatPassword: good.currentPassword },
      { newPassword: "Choose one that differs from the current password." },
    ],
  ])("refuses %s, naming the field", (_, change, errors) => {
    expect(checkPasswordChange({ ...good, ...change })).toEqual({ errors, input: null });
  });
});
