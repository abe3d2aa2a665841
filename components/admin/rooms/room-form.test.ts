import { describe, expect, it } from "vitest";
import { emptyRoomForm, type RoomFormValues, validateRoomForm } from "./room-form";

const valid: RoomFormValues = {
  ...emptyRoomForm,
  id: "black-friday",
  name: "Black Friday",
  protectedPaths: "/shop\n/cart",
};

describe("validateRoomForm", () => {
  it("turns valid values into a room", () => {
    const { errors, room } = validateRoomForm(valid);
    expect(errors).toEqual({});
    expect(room).toMatchObject({ id: "black-friday", capacity: 50, protectedPaths: ["/shop", "/cart"] });
  });

  it.each([
    [{ id: "Black Friday" }, "id"],
    [{ name: "  " }, "name"],
    [{ capacity: "-1" }, "capacity"],
    [{ capacity: "1.5" }, "capacity"],
    [{ capacity: "" }, "capacity"],
    [{ heartbeatIntervalMs: "100" }, "heartbeatIntervalMs"],
    [{ heartbeatTimeoutMs: "5000" }, "heartbeatTimeoutMs"],
    [{ maxQueueLength: "0" }, "maxQueueLength"],
    [{ protectedPaths: "shop" }, "protectedPaths"],
    [{ protectedPaths: "/" }, "protectedPaths"],
    [{ protectedPaths: "/admin/x" }, "protectedPaths"],
    [{ protectedPaths: "/a\n/a" }, "protectedPaths"],
  ] as const)("%j is refused on %s", (change, field) => {
    const { errors, room } = validateRoomForm({ ...valid, ...change });
    expect(room).toBeNull();
    expect(Object.keys(errors)).toEqual([field]);
  });
});
