import { z } from "zod";
import { pageQuery } from "@/server/admin/schemas/tokens";
import { roles } from "@/server/auth/user-store";

// Admin API input for people and the audit log.

const password = z.string().min(12, "passwords have at least 12 characters").max(1024);

export const userIdParam = z.object({ id: z.string().regex(/^[\w-]{1,64}$/) });

export const createUserBody = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().max(100).default(""),
    role: z.enum(roles),
    password,
  })
  .strict();

export const updateUserBody = z
  .object({
    name: z.string().trim().max(100).optional(),
    role: z.enum(roles).optional(),
    disabled: z.boolean().optional(),
    password: password.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "nothing to change");

export const changePasswordBody = z
  .object({ currentPassword: z.string().min(1, "enter your current password").max(1024), newPassword: password })
  .strict();

export const auditQuery = z.object({
  room: z.string().max(64).optional(),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z.]*$/)
    .optional(),
  ...pageQuery,
});
