import { type QueryClient, type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";

type AdminMutationOptions<Input, Data> = {
  mutationFn: (input: Input) => Promise<Data>;
  /** What the change makes stale; the mutation settles once these are refetched. */
  invalidates: readonly QueryKey[];
  /** Cache writes that go first: the server's answer, or queries whose subject is gone. */
  update?: (queryClient: QueryClient, data: Data) => void;
};

/** The options behind useAdminMutation, apart from React so they can be tested. */
export function adminMutationOptions<Input, Data>(
  queryClient: QueryClient,
  { mutationFn, invalidates, update }: AdminMutationOptions<Input, Data>,
) {
  return {
    mutationFn,
    onSuccess: (data: Data) => {
      update?.(queryClient, data);
      return Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  };
}

// Every console mutation: send, then bring each affected query up to date (rule 7).
export function useAdminMutation<Input, Data>(options: AdminMutationOptions<Input, Data>) {
  return useMutation(adminMutationOptions(useQueryClient(), options));
}
