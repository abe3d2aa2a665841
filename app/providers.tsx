"use client";

import { MutationCache, QueryCache, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { ApiRequestError } from "@/components/queries/api";
import { ConsoleQueryClient } from "@/components/queries/console-query-client";
import { bindOnlineManager, noteAnswer, noteFailure } from "@/components/queries/reachability";

// A signed-out answer (session expired, user disabled) sends the operator to sign in again and
// back here afterwards, instead of leaving every panel showing a stale-data banner.
function redirectWhenSignedOut(error: unknown) {
  if (!(error instanceof ApiRequestError) || error.status !== 401) return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/admin/sign-in?callbackUrl=${encodeURIComponent(here)}`);
}

function onError(error: unknown) {
  noteFailure(error);
  redirectWhenSignedOut(error);
}

function createQueryClient() {
  bindOnlineManager();
  return new ConsoleQueryClient({
    queryCache: new QueryCache({ onError, onSuccess: noteAnswer }),
    mutationCache: new MutationCache({ onError, onSuccess: noteAnswer }),
    defaultOptions: {
      queries: {
        // No retries: every query polls, and its next poll is the retry, spaced by the back-off
        // (console-query-client.ts). Retries on top multiplied the requests to a failing server.
        retry: false,
        // Polling keeps data fresh; a focus refetch on top would only double the requests.
        // Hidden tabs do not poll at all (react-query's refetchIntervalInBackground: false).
        refetchOnWindowFocus: false,
        staleTime: 1_000,
      },
      // A mutation is an operator's decision: never repeated behind their back, and never
      // held back to run later when the server comes back ("always": it fails now, and says so).
      mutations: { retry: false, networkMode: "always" },
    },
  });
}

/** One QueryClient per browser tab (not per render, not shared between server requests). */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
