import { describe, expect, it } from "vitest";
import { readJsonBody } from "@/server/api/json-body";

const limit = 64 * 1024;

/** A streamed body with no Content-Length, counting how many bytes the reader pulled. */
function streamedRequest(totalBytes: number, chunkBytes = 16 * 1024) {
  let produced = 0;
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= totalBytes) {
        controller.close();
        return;
      }
      const n = Math.min(chunkBytes, totalBytes - produced);
      produced += n;
      controller.enqueue(n === chunkBytes ? chunk : chunk.subarray(0, n));
    },
  });
  const request = new Request("http://floodgate.test/api/admin/rooms", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => produced };
}

describe("readJsonBody", () => {
  it("refuses a streamed body past the limit after reading little more than the limit", async () => {
    const { request, pulled } = streamedRequest(50 * 1024 * 1024);
    await expect(readJsonBody(request, limit)).rejects.toMatchObject({ code: "payload_too_large" });
    // A ReadableStream may pull a chunk or two ahead of the reader: allow that, not 50 MB.
    expect(pulled()).toBeLessThanOrEqual(limit + 64 * 1024);
  });

  it("refuses a declared length past the limit without reading the body", async () => {
    const { request, pulled } = streamedRequest(1024 * 1024);
    const declared = new Request(request, {
      headers: { "content-type": "application/json", "content-length": "999999" },
    });
    await expect(readJsonBody(declared, limit)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it("reads a streamed body within the limit, split anywhere in a multi-byte character", async () => {
    const text = JSON.stringify({ name: "ü".repeat(20_000) });
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // 3-byte pieces cut the 2-byte "ü" in half again and again.
        for (let at = 0; at < bytes.length; at += 3) controller.enqueue(bytes.subarray(at, at + 3));
        controller.close();
      },
    });
    const request = new Request("http://floodgate.test/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(await readJsonBody(request, limit)).toEqual({ name: "ü".repeat(20_000) });
  });

  it("counts bytes, not characters, against the limit", async () => {
    const text = JSON.stringify({ name: "ü".repeat(40_000) }); // 40k characters, 80 KB
    const request = new Request("http://floodgate.test/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([text]).stream(),
      duplex: "half",
    } as RequestInit);
    await expect(readJsonBody(request, limit)).rejects.toMatchObject({ code: "payload_too_large" });
  });

  it("answers 415 for a body not sent as JSON and 400 for JSON that does not parse", async () => {
    const plain = new Request("http://floodgate.test/x", { method: "POST", body: "{}" });
    await expect(readJsonBody(plain, limit)).rejects.toMatchObject({ code: "unsupported_media_type" });
    const broken = new Request("http://floodgate.test/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":',
    });
    await expect(readJsonBody(broken, limit)).rejects.toMatchObject({ code: "invalid_body" });
  });
});
