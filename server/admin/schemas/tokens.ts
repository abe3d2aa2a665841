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

const searchText = z
  .string()
  .trim()
  .max(64)
  .regex(/^[\w -]*$/, "search by a place's reference (e.g. K7QF-2M) or the start of a visitor id")
  .optional();

/** `q` is a reference code or the start of a visitor id; `search`, its older name, still works. */
export const tokenListQuery = z
  .object({
    state: z.enum(["waiting", "admitted"]).optional(),
    q: searchText,
    search: searchText,
    ...pageQuery,
  })
  .transform(({ q, search, ...rest }) => ({ ...rest, search: (q || search)?.replace(/\s+/g, "") || undefined }));

export const evictBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const admitBody = z
  .object({ reason: z.string().trim().min(1, "say why this visitor skips the line").max(500) })
  .strict();
