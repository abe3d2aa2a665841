import { z } from "zod";
import type { DeliveryStatus } from "@/server/admin/admin-types";
import { roomIdParam } from "@/server/admin/schemas/rooms";
import { pageQuery } from "@/server/admin/schemas/tokens";

// Admin API input for notifications: a room's SNS topic and the delivery log's filters.
// topicArn also checks FLOODGATE_SNS_TOPIC_ARN (server/env.ts) and thresholds' own topics.

/** An SNS topic ARN (standard or FIFO, any partition): what Publish's TopicArn accepts. */
export const topicArn = z
  .string()
  .trim()
  .regex(
    /^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    "an SNS topic ARN looks like arn:aws:sns:eu-west-1:123456789012:floodgate-alerts",
  );

export const deliveryStatuses = [
  "pending",
  "retrying",
  "sent",
  "failed",
  "dropped",
] as const satisfies readonly DeliveryStatus[];

export const channelBody = z
  .object({
    /** null: back to the default topic (FLOODGATE_SNS_TOPIC_ARN). */
    topicArn: topicArn.nullable(),
  })
  .strict();

export const deliveryListQuery = z.object({
  room: roomIdParam.shape.room.optional(),
  status: z.enum(deliveryStatuses).optional(),
  ...pageQuery,
});
