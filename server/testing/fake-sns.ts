import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

// An SNS-API endpoint for tests (vitest, and Playwright through scripts/fake-sns.ts), on
// loopback. It speaks what @aws-sdk/client-sns 3.x sends: the awsQuery protocol, a SigV4-signed
// POST of a form (Action=Publish&Version=2010-03-31&TopicArn=...&Message=...&Subject=...
// &MessageAttributes.entry.N.Name/Value.DataType/Value.StringValue), answered in XML
// (<PublishResponse><PublishResult><MessageId>) or with an <ErrorResponse> as SNS does.
// It checks what SNS checks that a client could get wrong (Subject rules, a topic, a message),
// records every message it accepted, and can be told to fail, hang, be slow or not know the topic.
//
// Control API (for processes that cannot hold the object): GET /__messages returns
// { messages, publishRequests }; POST /__mode with { mode, delayMs? } switches mode;
// POST /__reset clears messages and goes back to "ok".

export type FakeSnsMode = "ok" | "fail" | "hang" | "slow" | "notFound";

export type ReceivedMessage = {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  /** Name -> string value of each message attribute. */
  attributes: Record<string, string>;
  messageGroupId: string | null;
  messageDeduplicationId: string | null;
  /** The region in the request's SigV4 credential scope (what the client was configured with). */
  signingRegion: string;
  receivedAt: string;
};

export type FakeSns = {
  /** The endpoint for clients (FLOODGATE_SNS_ENDPOINT). */
  url: string;
  port: number;
  /** Messages accepted (answered with a MessageId), in order. */
  messages: ReceivedMessage[];
  /** Publish requests seen, accepted or not. */
  publishRequests(): number;
  /**
   * slow: every answer waits delayMs (default 5000), and the message is accepted even if the
   * client gave up meanwhile, as SNS would. hang: no answer at all, nothing accepted.
   */
  setMode(mode: FakeSnsMode, delayMs?: number): void;
  /** Answers the next `count` Publish requests with 500 InternalFailure, whatever the mode. */
  failNext(count: number): void;
  /** Resolves with the messages once `predicate` holds for them; rejects after timeoutMs. */
  waitFor(predicate: (messages: ReceivedMessage[]) => boolean, timeoutMs?: number): Promise<ReceivedMessage[]>;
  reset(): void;
  close(): Promise<void>;
};

export type FakeSnsOptions = {
  /** 0: any free port. */
  port?: number;
  /** When set, a Publish to any other topic is answered NotFound, as SNS does. */
  knownTopics?: string[];
};

const xmlns = "http://sns.amazonaws.com/doc/2010-03-31/";
const maxBodyBytes = 512 * 1024;

export async function startFakeSns(options: FakeSnsOptions = {}): Promise<FakeSns> {
  const messages: ReceivedMessage[] = [];
  const listeners = new Set<() => void>();
  const hanging = new Set<http.ServerResponse>();
  let mode: FakeSnsMode = "ok";
  let slowMs = 5_000;
  let failures = 0;
  let publishRequests = 0;

  const server = http.createServer((request, response) => {
    readBody(request)
      .then((body) => handle(request, body, response))
      .catch((error) => sendError(response, 400, "Sender", "MalformedInput", String(error)));
  });

  async function handle(request: http.IncomingMessage, body: string, response: http.ServerResponse) {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/__messages" && request.method === "GET") {
      return sendJson(response, 200, { messages, publishRequests });
    }
    if (path === "/__mode" && request.method === "POST") {
      const { mode: next, delayMs } = JSON.parse(body || "{}") as { mode?: FakeSnsMode; delayMs?: number };
      if (!next || !["ok", "fail", "hang", "slow", "notFound"].includes(next)) {
        return sendJson(response, 400, { error: "mode: ok | fail | hang | slow | notFound" });
      }
      setMode(next, delayMs);
      return sendJson(response, 200, { mode });
    }
    if (path === "/__reset" && request.method === "POST") {
      reset();
      return sendJson(response, 200, { ok: true });
    }
    if (request.method !== "POST") return sendError(response, 405, "Sender", "InvalidAction", "Use POST.");
    if (request.headers["x-amz-target"] || /json/i.test(request.headers["content-type"] ?? "")) {
      return sendError(response, 400, "Sender", "InvalidAction", "This endpoint speaks the awsQuery protocol only.");
    }
    const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([\w-]+)\/sns\/aws4_request/.exec(
      request.headers.authorization ?? "",
    );
    if (!scope?.[1]) {
      return sendError(response, 403, "Sender", "MissingAuthenticationToken", "Request is missing a SigV4 signature.");
    }
    const form = new URLSearchParams(body);
    if (form.get("Action") !== "Publish") {
      return sendError(response, 400, "Sender", "InvalidAction", `Action ${form.get("Action")} is not supported.`);
    }
    if (form.get("Version") !== "2010-03-31") {
      return sendError(response, 400, "Sender", "InvalidParameterValue", "Version must be 2010-03-31.");
    }
    publishRequests++;
    const received = parsePublish(form, scope[1]);
    const problem = validate(received);
    if (problem) return sendError(response, 400, "Sender", "InvalidParameter", problem);

    if (failures > 0) {
      failures--;
      return sendError(response, 500, "Receiver", "InternalFailure", "The request processing has failed.");
    }
    if (mode === "hang") {
      hanging.add(response);
      response.on("close", () => hanging.delete(response));
      return;
    }
    if (mode === "slow") await new Promise((resolve) => setTimeout(resolve, slowMs));
    if (mode === "fail") {
      return sendError(response, 500, "Receiver", "InternalFailure", "The request processing has failed.");
    }
    if (mode === "notFound" || (options.knownTopics && !options.knownTopics.includes(received.topicArn))) {
      return sendError(response, 404, "Sender", "NotFound", "Topic does not exist");
    }
    messages.push(received);
    for (const listener of listeners) listener();
    send(
      response,
      200,
      (requestId) =>
        `<PublishResponse xmlns="${xmlns}"><PublishResult><MessageId>${received.messageId}</MessageId>` +
        `</PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  }

  function setMode(next: FakeSnsMode, delayMs?: number) {
    mode = next;
    if (delayMs !== undefined) slowMs = delayMs;
    // Leaving "hang": let whoever is still waiting go (as a dropped connection would).
    if (next !== "hang") {
      for (const response of hanging) response.destroy();
      hanging.clear();
    }
  }

  function reset() {
    messages.length = 0;
    publishRequests = 0;
    failures = 0;
    setMode("ok", 5_000);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    messages,
    publishRequests: () => publishRequests,
    setMode,
    failNext(count) {
      failures = count;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(messages)) return;
          cleanup();
          resolve(messages);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake SNS: not received within ${timeoutMs} ms (have ${messages.length} messages)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    reset,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parsePublish(form: URLSearchParams, signingRegion: string): ReceivedMessage {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? "";
    attributes[name] =
      form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ??
      form.get(`MessageAttributes.entry.${n}.Value.BinaryValue`) ??
      "";
  }
  return {
    messageId: randomUUID(),
    topicArn: form.get("TopicArn") ?? form.get("TargetArn") ?? "",
    subject: form.get("Subject"),
    message: form.get("Message") ?? "",
    attributes,
    messageGroupId: form.get("MessageGroupId"),
    messageDeduplicationId: form.get("MessageDeduplicationId"),
    signingRegion,
    receivedAt: new Date().toISOString(),
  };
}

/** SNS's own checks on a Publish a client controls; null when it would be accepted. */
function validate(message: ReceivedMessage): string | null {
  if (!message.topicArn) return "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter";
  if (!/^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(message.topicArn)) {
    return "Invalid parameter: TopicArn";
  }
  if (!message.message) return "Invalid parameter: Empty message";
  if (Buffer.byteLength(message.message) > 256 * 1024) return "Invalid parameter: Message too long";
  const subject = message.subject;
  if (subject !== null) {
    if (subject.length === 0 || subject.length > 100) return "Invalid parameter: Subject";
    // ASCII printable, starting with a letter, number or punctuation; no line breaks or controls.
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(subject)) return "Invalid parameter: Subject";
  }
  for (const [name, value] of Object.entries(message.attributes)) {
    if (!name || !value) return `Invalid parameter: MessageAttributes ${name}`;
  }
  if (message.topicArn.endsWith(".fifo") && !message.messageGroupId) {
    return "Invalid parameter: The MessageGroupId parameter is required for FIFO topics";
  }
  return null;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error("body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendError(response: http.ServerResponse, status: number, type: string, code: string, message: string) {
  send(
    response,
    status,
    (requestId) =>
      `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function send(response: http.ServerResponse, status: number, xml: (requestId: string) => string) {
  if (response.destroyed) return;
  const requestId = randomUUID();
  response.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
  response.end(`<?xml version="1.0"?>\n${xml(requestId)}`);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", "'": "apos", '"': "quot" }[c]};`);
}

/**
 * Sets throwaway AWS credentials in the environment, where the SDK's default chain finds them
 * (as production finds its role's); returns a function that puts the environment back.
 */
export function useFakeAwsCredentials(): () => void {
  const fake = { AWS_ACCESS_KEY_ID: "AKIDFAKESNS", AWS_SECRET_ACCESS_KEY: "fake-sns-secret" };
  const saved = Object.fromEntries(Object.keys(fake).map((name) => [name, process.env[name]]));
  Object.assign(process.env, fake);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
