import "server-only";
import { PublishCommand, type PublishCommandInput, SNSClient } from "@aws-sdk/client-sns";
import type { DeliveryKind } from "@/server/admin/admin-types";

// The one module that talks to Amazon SNS (and the only importer of @aws-sdk/client-sns): the
// notification service loads it with a dynamic import on its first send, so a Floodgate that
// never notifies never pays for the SDK. One Publish per call, one attempt per call: the
// service retries with its own backoff and time-to-live, so the SDK's retries are off
// (maxAttempts 1) and every attempt is bounded by a timeout.

export type SnsPublisherOptions = {
  /** Else the topic's own region, read from its ARN (SNS takes a Publish only in the topic's region). */
  region?: string;
  /** Another SNS-API server; else the SDK's own resolution (AWS_ENDPOINT_URL_SNS, then AWS). */
  endpoint?: string;
  /** The longest one attempt may take, connection included. */
  timeoutMs: number;
};

export type SnsMessage = {
  /** Also the deduplication id on FIFO topics, so a retry of a delivery SNS already took is not sent twice. */
  deliveryId: string;
  topicArn: string;
  roomId: string | null;
  kind: DeliveryKind;
  subject: string;
  message: string;
};

/** Why a publish did not go through, and whether trying again may help. */
export class PublishFailure extends Error {
  constructor(
    message: string,
    /** False: the same request would fail the same way (unknown topic, no permission, bad input). */
    readonly retryable: boolean,
    /** SNS's error code, or Timeout / Aborted / Network. */
    readonly code: string,
  ) {
    super(message);
    this.name = "PublishFailure";
  }
}

export class SnsPublisher {
  private readonly clients = new Map<string, SNSClient>();

  constructor(private readonly options: SnsPublisherOptions) {}

  /**
   * Publishes one message. `signal` aborts it (the service stopping); the attempt also gives up
   * after the configured timeout. Throws PublishFailure.
   */
  async publish(input: SnsMessage, signal?: AbortSignal): Promise<{ messageId: string }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const client = this.clientFor(input.topicArn);
      const output = await client.send(new PublishCommand(publishInput(input)), { abortSignal });
      if (!output.MessageId) throw new PublishFailure("SNS answered without a MessageId", true, "NoMessageId");
      return { messageId: output.MessageId };
    } catch (error) {
      if (signal?.aborted) throw new PublishFailure("stopped before SNS answered", true, "Aborted");
      if (timeout.aborted) {
        throw new PublishFailure(`no answer from SNS within ${this.options.timeoutMs} ms`, true, "Timeout");
      }
      throw classifyPublishError(error);
    }
  }

  /** Closes the clients' connections. */
  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }

  private clientFor(topicArn: string): SNSClient {
    const region = this.options.region ?? regionOfTopic(topicArn);
    let client = this.clients.get(region);
    if (!client) {
      client = new SNSClient({
        region,
        endpoint: this.options.endpoint,
        maxAttempts: 1,
        requestHandler: { connectionTimeout: this.options.timeoutMs, requestTimeout: this.options.timeoutMs },
      });
      this.clients.set(region, client);
    }
    return client;
  }
}

export function createSnsPublisher(options: SnsPublisherOptions): SnsPublisher {
  return new SnsPublisher(options);
}

function publishInput(input: SnsMessage): PublishCommandInput {
  const attributes: NonNullable<PublishCommandInput["MessageAttributes"]> = {
    kind: { DataType: "String", StringValue: input.kind },
  };
  if (input.roomId) attributes.room = { DataType: "String", StringValue: input.roomId };
  const fifo = input.topicArn.endsWith(".fifo");
  return {
    TopicArn: input.topicArn,
    Subject: snsSubject(input.subject),
    Message: input.message,
    MessageAttributes: attributes,
    // FIFO topics need a group (one per room keeps each room's notices in order) and, unless the
    // topic deduplicates by content, a deduplication id.
    ...(fifo ? { MessageGroupId: input.roomId ?? "floodgate", MessageDeduplicationId: input.deliveryId } : {}),
  };
}

/** The region field of an ARN (arn:partition:sns:region:account:name). */
export function regionOfTopic(topicArn: string): string {
  const region = topicArn.split(":")[3];
  if (!region) throw new PublishFailure(`not a topic ARN: ${topicArn}`, false, "InvalidParameter");
  return region;
}

const maxSubjectLength = 100;
const asciiFor: Record<string, string> = {
  "→": "->",
  "←": "<-",
  "–": "-",
  "—": "-",
  "‘": "'",
  "’": "'",
  "“": '"',
  "”": '"',
  "…": "...",
  "×": "x",
  "≥": ">=",
  "≤": "<=",
};

/**
 * A Subject SNS accepts: ASCII printable characters only, no line breaks, at most 100
 * characters, starting with a letter, digit or punctuation. Accents are stripped, common
 * typography spelled in ASCII, anything else left out; too long ends in "...".
 */
export function snsSubject(subject: string): string {
  const ascii = subject
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[→←–—‘’“”…×≥≤]/g, (c) => asciiFor[c] ?? "")
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "")
    .trim();
  if (!ascii) return "Floodgate notification";
  return ascii.length > maxSubjectLength ? `${ascii.slice(0, maxSubjectLength - 3).trimEnd()}...` : ascii;
}

// Codes SNS (or the network between) answers when trying again later may work.
const retryableCodes = new Set([
  "Throttled",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "KMSThrottling",
  "KMSThrottlingException",
  "InternalError",
  "InternalErrorException",
  "InternalFailure",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/**
 * Retryable: SNS's server errors and throttling, and failures that never got an answer
 * (connection refused or reset, credentials not yet available). Not retryable: any other
 * answer in the 4xx range (NotFound, AuthorizationError, InvalidParameter, KMS problems...).
 */
export function classifyPublishError(error: unknown): PublishFailure {
  if (error instanceof PublishFailure) return error;
  const e = (error ?? {}) as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name && e.name !== "Error" ? e.name : (e.code ?? "Error");
  const code = name.replace(/Exception$/, "");
  const status = e.$metadata?.httpStatusCode;
  const message = `${code}${status ? ` (HTTP ${status})` : ""}: ${e.message || "no message"}`;
  if (status === undefined) return new PublishFailure(message, true, code);
  const retryable = status >= 500 || status === 429 || retryableCodes.has(name) || retryableCodes.has(code);
  return new PublishFailure(message, retryable, code);
}
