import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  classifyPublishError,
  createSnsPublisher,
  type PublishFailure,
  type SnsPublisher,
  snsSubject,
} from "@/server/alerts/sns-publisher";
import { type FakeSns, startFakeSns, useFakeAwsCredentials } from "@/server/testing/fake-sns";

const topic = "arn:aws:sns:ap-southeast-2:123456789012:floodgate";
const fifoTopic = "arn:aws:sns:ap-southeast-2:123456789012:floodgate.fifo";
const message = { deliveryId: "d-1", topicArn: topic, roomId: "default", kind: "alarm" as const };

let sns: FakeSns;
let publisher: SnsPublisher;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  sns = await startFakeSns();
  publisher = createSnsPublisher({ endpoint: sns.url, timeoutMs: 300 });
});
afterEach(() => sns.reset());
afterAll(async () => {
  publisher.destroy();
  await sns.close();
  restoreEnv();
});

describe("snsSubject", () => {
  it.each([
    ["plain", "Room default: waiting > 3", "Room default: waiting > 3"],
    ["typography in ASCII", "capacity 100 → 500 – “sale”…", 'capacity 100 -> 500 - "sale"...'],
    ["accents stripped", "Café crème", "Cafe creme"],
    ["line breaks folded", "two\nlines\r\n\there", "two lines here"],
    ["other characters left out", "🚨 alarm ✓", "alarm"],
    ["nothing left", "🚨", "Floodgate notification"],
  ])("%s", (_name, input, expected) => {
    expect(snsSubject(input)).toBe(expected);
  });

  it("clips to SNS's 100 characters", () => {
    const subject = snsSubject(`${"word ".repeat(40)}end`);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/\.\.\.$/);
  });
});

describe("classifyPublishError", () => {
  const sdkError = (name: string, status?: number) =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
  it.each([
    ["NotFoundException", 404, false],
    ["AuthorizationErrorException", 403, false],
    ["InvalidParameterException", 400, false],
    ["KMSDisabledException", 400, false],
    ["ThrottledException", 400, true],
    ["InternalErrorException", 500, true],
    ["ServiceUnavailable", 503, true],
    ["ECONNREFUSED", undefined, true],
  ])("%s (HTTP %s) is retryable: %s", (name, status, retryable) => {
    const failure = classifyPublishError(sdkError(name, status));
    expect(failure.retryable).toBe(retryable);
    expect(failure.message).toContain(name.replace(/Exception$/, ""));
  });
});

describe("SnsPublisher over HTTP", () => {
  it("publishes with the room and kind as message attributes, signed for the topic's region", async () => {
    const { messageId } = await publisher.publish({ ...message, subject: "Alarm → room", message: "waiting 12 > 3" });
    expect(sns.messages).toEqual([
      expect.objectContaining({
        messageId,
        topicArn: topic,
        subject: "Alarm -> room",
        message: "waiting 12 > 3",
        attributes: { kind: "alarm", room: "default" },
        signingRegion: "ap-southeast-2",
        messageGroupId: null,
      }),
    ]);
  });

  it("gives a FIFO topic a group per room and the delivery id for deduplication", async () => {
    await publisher.publish({ ...message, topicArn: fifoTopic, subject: "s", message: "m" });
    expect(sns.messages[0]).toMatchObject({ messageGroupId: "default", messageDeduplicationId: "d-1" });
  });

  it.each([
    ["fail", { retryable: true, code: "InternalFailure" }],
    ["notFound", { retryable: false, code: "NotFound" }],
    ["hang", { retryable: true, code: "Timeout", message: "no answer from SNS within 300 ms" }],
  ] as const)("when SNS is %s, throws a classified PublishFailure", async (mode, expected) => {
    sns.setMode(mode);
    const started = Date.now();
    const error = (await publisher
      .publish({ ...message, subject: "s", message: "m" })
      .catch((e) => e)) as PublishFailure;
    expect(error.name).toBe("PublishFailure");
    expect(error).toMatchObject(expected);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops at once when its caller aborts", async () => {
    sns.setMode("hang");
    const controller = new AbortController();
    const publishing = publisher.publish({ ...message, subject: "s", message: "m" }, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(publishing).rejects.toMatchObject({ code: "Aborted" });
  });
});
