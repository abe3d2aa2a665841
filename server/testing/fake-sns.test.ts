import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSns, startFakeSns } from "@/server/testing/fake-sns";

const topic = "arn:aws:sns:eu-west-1:123456789012:floodgate";
let sns: FakeSns;
let client: SNSClient;

beforeAll(async () => {
  sns = await startFakeSns({ knownTopics: [topic] });
  client = new SNSClient({
    region: "eu-west-1",
    endpoint: sns.url,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "fake-secret" },
  });
});
afterAll(async () => {
  client.destroy();
  await sns.close();
});

describe("fake SNS, as the real SDK sees it", () => {
  it("parses the SDK's Publish (awsQuery form) and answers with a MessageId", async () => {
    const output = await client.send(
      new PublishCommand({
        TopicArn: topic,
        Subject: "Room full",
        Message: "waiting > 3 & rising = bad",
        MessageAttributes: { room: { DataType: "String", StringValue: "default" } },
      }),
    );
    expect(sns.messages).toHaveLength(1);
    expect(sns.messages[0]).toMatchObject({
      messageId: output.MessageId,
      topicArn: topic,
      subject: "Room full",
      message: "waiting > 3 & rising = bad",
      attributes: { room: "default" },
      signingRegion: "eu-west-1",
    });
  });

  it.each([
    ["an unknown topic", { TopicArn: "arn:aws:sns:eu-west-1:123456789012:other", Message: "x" }, "NotFoundException"],
    ["a subject with a line break", { TopicArn: topic, Subject: "a\nb", Message: "x" }, "InvalidParameterException"],
    [
      "a subject over 100 characters",
      { TopicArn: topic, Subject: "s".repeat(101), Message: "x" },
      "InvalidParameterException",
    ],
    ["an empty message", { TopicArn: topic, Message: "" }, "InvalidParameterException"],
  ])("answers %s with SNS's error, which the SDK turns into %s", async (_name, input, errorName) => {
    await expect(client.send(new PublishCommand(input))).rejects.toMatchObject({ name: errorName });
  });

  it("fails, and hangs, when told to, through its control API too", async () => {
    await fetch(`${sns.url}/__mode`, { method: "POST", body: JSON.stringify({ mode: "fail" }) });
    await expect(client.send(new PublishCommand({ TopicArn: topic, Message: "x" }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 500 },
    });
    sns.setMode("hang");
    const hung = client.send(new PublishCommand({ TopicArn: topic, Message: "x" }), {
      abortSignal: AbortSignal.timeout(200),
    });
    await expect(hung).rejects.toThrow();
    sns.setMode("ok");
    const before = sns.messages.length;
    await client.send(new PublishCommand({ TopicArn: topic, Message: "back" }));
    const listed = (await (await fetch(`${sns.url}/__messages`)).json()) as { messages: { message: string }[] };
    expect(listed.messages).toHaveLength(before + 1);
    expect(listed.messages.at(-1)?.message).toBe("back");
  });

  it("waitFor resolves when a matching message arrives, and times out otherwise", async () => {
    const waiting = sns.waitFor((messages) => messages.some((m) => m.message === "later"), 2_000);
    setTimeout(() => void client.send(new PublishCommand({ TopicArn: topic, Message: "later" })), 20);
    await expect(waiting).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ message: "later" })]));
    await expect(sns.waitFor(() => false, 50)).rejects.toThrow(/not received within 50 ms/);
  });
});
