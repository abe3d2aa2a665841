import { z } from "zod";
import { alertComparators, alertMetrics } from "@/server/admin/admin-types";
import { topicArn } from "@/server/admin/schemas/notifications";
import { roomIdParam } from "@/server/admin/schemas/rooms";
import { pageQuery } from "@/server/admin/schemas/tokens";

// Admin API input for alert thresholds and the alert history. Each field is checked here; what
// spans fields (recoverValue on the good side of value, activePercent up to 1000) is checked by
// the alert service on the whole rule, since a patch only holds part of it.

export const thresholdParams = roomIdParam.extend({
  threshold: z.string().regex(/^[\w-]{1,64}$/, "threshold ids are letters, digits and dashes"),
});

/** Every metric is a count, a rate, a percentage or a duration: never below 0. */
const figure = z.number().min(0).max(1_000_000_000);

const thresholdShape = {
  name: z
    .string()
    .trim()
    .max(80)
    // One line: it goes into an SNS Subject.
    .regex(/^[^\p{Cc}]*$/u, "name is one line of text"),
  metric: z.enum(alertMetrics),
  comparator: z.enum(alertComparators),
  value: figure,
  recoverValue: figure.nullable(),
  forSamples: z.number().int().min(1).max(60),
  cooldownSeconds: z.number().int().min(0).max(86_400),
  topicArn: topicArn.nullable(),
  enabled: z.boolean(),
};

export const createThresholdBody = z
  .object({
    ...thresholdShape,
    name: thresholdShape.name.optional(),
    recoverValue: thresholdShape.recoverValue.optional(),
    forSamples: thresholdShape.forSamples.optional(),
    cooldownSeconds: thresholdShape.cooldownSeconds.optional(),
    topicArn: thresholdShape.topicArn.optional(),
    enabled: thresholdShape.enabled.optional(),
  })
  .strict();

export const updateThresholdBody = z
  .object(thresholdShape)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "nothing to change");

export const alertEventListQuery = z.object({
  room: roomIdParam.shape.room.optional(),
  ...pageQuery,
});
