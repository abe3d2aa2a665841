import { MutationObserver, QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { adminKeys } from "./keys";
import { adminMutationOptions } from "./use-admin-mutation";

function clientWith(keys: readonly (readonly unknown[])[]) {
  const queryClient = new QueryClient();
  for (const key of keys) queryClient.setQueryData(key, { seeded: true });
  return queryClient;
}

describe("adminMutationOptions", () => {
  it("invalidates the listed keys (and what lies below them), nothing else", async () => {
    const queryClient = clientWith([adminKeys.roomList(), adminKeys.audit(), adminKeys.users()]);
    const options = adminMutationOptions(queryClient, {
      mutationFn: async (input: number) => input * 2,
      invalidates: [adminKeys.rooms(), adminKeys.audit()],
    });
    await expect(new MutationObserver(queryClient, options).mutate(21)).resolves.toBe(42);
    expect(queryClient.getQueryState(adminKeys.roomList())?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(adminKeys.audit())?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(adminKeys.users())?.isInvalidated).toBe(false);
  });

  it("writes the server's answer into the cache, so that query needs no refetch", async () => {
    const queryClient = clientWith([adminKeys.room("shop")]);
    const options = adminMutationOptions(queryClient, {
      mutationFn: async () => ({ room: "updated" }),
      update: (client, data) => client.setQueryData(adminKeys.room("shop"), data),
      invalidates: [adminKeys.audit()],
    });
    await new MutationObserver(queryClient, options).mutate(undefined);
    expect(queryClient.getQueryData(adminKeys.room("shop"))).toEqual({ room: "updated" });
    expect(queryClient.getQueryState(adminKeys.room("shop"))?.isInvalidated).toBe(false);
  });

  it("leaves the cache alone when the server refuses", async () => {
    const queryClient = clientWith([adminKeys.audit()]);
    const options = adminMutationOptions(queryClient, {
      mutationFn: async () => {
        throw new Error("refused");
      },
      invalidates: [adminKeys.audit()],
    });
    await expect(new MutationObserver(queryClient, options).mutate(undefined)).rejects.toThrow("refused");
    expect(queryClient.getQueryState(adminKeys.audit())?.isInvalidated).toBe(false);
  });
});
