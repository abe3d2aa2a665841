import net from "node:net";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEngineFixture, type EngineFixture, testRoom } from "@/server/testing/engine-fixture";
import { startGateServer } from "@/server/testing/gate-server";

// A client that hangs up halfway through a body is the client's doing: the gate logs nothing
// (the request fuzz found a stack trace per hang-up, a lever for flooding the log).

let fixture: EngineFixture;
let gate: Awaited<ReturnType<typeof startGateServer>>;
let port: number;
const lines: { level: number; msg: string }[] = [];

beforeAll(async () => {
  fixture = await createEngineFixture([testRoom({ id: "default", capacity: 1, protectedPaths: ["/shop"] })]);
  gate = await startGateServer(fixture, {
    logger: pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) }),
  });
  port = gate.port;
});

afterAll(async () => {
  gate.close();
  await fixture.store.close();
});

it("logs nothing when a client hangs up halfway through a body", async () => {
  for (const action of ["enter", "heartbeat", "leave"]) {
    const socket = net.connect({ host: "127.0.0.1", port });
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `POST /api/queue/default/${action} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"tok`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
  }
  // The server sees each hang-up as the stream's "aborted" error.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
});
