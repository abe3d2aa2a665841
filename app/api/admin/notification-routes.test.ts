import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture } from "@/server/testing/admin-fixture";
import { type FakeSns, startFakeSns, useFakeAwsCredentials } from "@/server/testing/fake-sns";
import { describeRoleMatrix, type RoleCase } from "@/server/testing/role-matrix";
import * as deliveries from "./deliveries/route";
import * as channel from "./rooms/[room]/channel/route";
import * as testNotification from "./rooms/[room]/test-notification/route";

// The notification routes on the whole Floodgate: roles, input, and a test notification that
// reaches the fake SNS endpoint through the real client.

const defaultTopic = "arn:aws:sns:eu-west-1:123456789012:floodgate-default";
const roomTopic = "arn:aws:sns:eu-west-1:123456789012:floodgate-room";

let fx: AdminFixture;
let sns: FakeSns;
let restoreEnv: () => void;
beforeAll(async () => {
  restoreEnv = useFakeAwsCredentials();
  sns = await startFakeSns();
  fx = await createAdminFixture({ FLOODGATE_SNS_ENDPOINT: sns.url, FLOODGATE_SNS_TOPIC_ARN: defaultTopic });
  fx.floodgate.notifications.start();
});
afterAll(async () => {
  await fx.floodgate.notifications.stop();
  await fx.close();
  await sns.close();
  restoreEnv();
});

const r = { room: "default" };
const cases: RoleCase[] = [
  { name: "GET /deliveries", module: deliveries, method: "GET", role: "viewer", query: "?status=sent" },
  { name: "GET /channel", module: channel, method: "GET", role: "viewer", params: r },
  {
    name: "PUT /channel",
    module: channel,
    method: "PUT",
    role: "operator",
    params: r,
    body: () => ({ topicArn: null }),
  },
  { name: "POST /test-notification", module: testNotification, method: "POST", role: "operator", params: r },
];

describeRoleMatrix("notification routes check the session and the role", () => fx, cases);

describe("notification route input", () => {
  it.each([
    ["an SQS ARN", { topicArn: "arn:aws:sqs:eu-west-1:123456789012:queue" }],
    ["a topic name alone", { topicArn: "floodgate-alerts" }],
    ["a short account id", { topicArn: "arn:aws:sns:eu-west-1:12345:floodgate" }],
    ["no topicArn at all", {}],
    ["an unknown field", { topicArn: null, url: "https://example.com" }],
  ])("PUT /channel with %s → 422", async (_name, body) => {
    const { status, json } = await fx.call(channel, "PUT", { role: "operator", params: r, body });
    expect(status).toBe(422);
    expect(json.error.code).toBe("validation_failed");
  });

  it.each([
    ["an unknown status", "?status=lost"],
    ["page 0", "?page=0"],
    ["a bad room id", "?room=../etc"],
  ])("GET /deliveries with %s → 400", async (_name, query) => {
    const { status, json } = await fx.call(deliveries, "GET", { role: "viewer", query });
    expect(status).toBe(400);
    expect(json.error.code).toBe("bad_request");
  });

  it("answers an unknown room with 404", async () => {
    const missing = await fx.call(channel, "GET", { role: "viewer", params: { room: "no-such-room" } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("room_not_found");
  });
});

describe("channel and test notification, end to end", () => {
  it("sets a room's topic, sends a test notification to it, and shows it sent in the log", async () => {
    const set = await fx.call(channel, "PUT", { role: "operator", params: r, body: { topicArn: roomTopic } });
    expect(set.json).toEqual({
      roomId: "default",
      topicArn: roomTopic,
      defaultTopicArn: defaultTopic,
      deliverable: true,
    });

    const sent = await fx.call(testNotification, "POST", { role: "operator", params: r });
    expect(sent.status).toBe(200);
    expect(sent.json.outcome.status).toBe("queued");
    const messages = await sns.waitFor((all) => all.some((m) => m.topicArn === roomTopic));
    const received = messages.find((m) => m.topicArn === roomTopic);
    expect(received).toMatchObject({ attributes: { room: "default", kind: "test" } });

    for (let tries = 0; ; tries++) {
      const log = await fx.call(deliveries, "GET", { role: "viewer", query: "?room=default&status=sent" });
      const entry = log.json.items.find((d: { id: string }) => d.id === sent.json.outcome.deliveryId);
      if (entry) {
        expect(entry).toMatchObject({ kind: "test", topicArn: roomTopic, attempts: 1, messageId: received?.messageId });
        break;
      }
      if (tries > 100) throw new Error("the test notification never showed as sent");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
