import { z } from "zod";
import { roomIdParam } from "@/server/admin/schemas/rooms";

// Admin API input for places in line: listing, lookup, evict, admit out of order.

export const tokenParams = roomIdParam.extend({
  id: z.string().regex(/^[\w-]{1,64}$/, "token ids are base64url"),
});

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export const tokenListQuery = z.object({
  state: z.enum(["waiting", "admitted"]).optional(),
  search: z
    .string()
    .trim()
    .max(64)
    .regex(/^[\w-]*$/, "search by the start of a token id")
    .optional()
    .transform((s) => s || undefined),
  ...pageQuery,
});

export const evictBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const admitBody = z
  .object({ reason: z.string().trim().min(1, "say why this visitor skips the line").max(500) })
  .strict();
