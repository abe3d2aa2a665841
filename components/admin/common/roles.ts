// Roles are ordered: each may do everything the one before it may. Plain module (no
// "use client") so server layouts and pages use the same check as the client.
import type { Role } from "@/server/admin/admin-types";

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may. */
export function can(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

export const roleLabels: Record<Role, string> = { viewer: "Viewer", operator: "Operator", admin: "Admin" };

/** Badge tones (admin.module.css): the more a role may do, the louder it shows. */
export const roleTones: Record<Role, "accent" | "warn" | undefined> = {
  viewer: undefined,
  operator: "accent",
  admin: "warn",
};

export const roleDescriptions: Record<Role, string> = {
  viewer: "Reads everything, changes nothing.",
  operator: "Also changes capacity, rooms and visitors.",
  admin: "Also manages console users.",
};

/** Listed from least to most power, the order a form should offer them in. */
export const roleOptions: readonly Role[] = ["viewer", "operator", "admin"];

/** The roles as radio cards offer them. */
export const roleChoices = roleOptions.map((role) => ({
  value: role,
  label: roleLabels[role],
  description: roleDescriptions[role],
}));
