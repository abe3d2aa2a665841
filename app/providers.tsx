"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { ApiRequestError, shouldRetry } from "@/components/queries/api";

// A signed-out answer (session expired, user disabled) sends the operator to sign in again and
// back here afterwards, instead of leaving every panel showing a stale-data banner.
function redirectWhenSignedOut(error: unknown) {
  if (!(error instanceof ApiRequestError) || error.status !== 401) return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/admin/sign-in?callbackUrl=${encodeURIComponent(here)}`);
}

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: redirectWhenSignedOut }),
    mutationCache: new MutationCache({ onError: redirectWhenSignedOut }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(1_000 * 2 ** attempt, 8_000),
        // Polling keeps data fresh; a focus refetch on top would only double the requests.
        refetchOnWindowFocus: false,
        staleTime: 1_000,
      },
      // A mutation is an operator's decision: never repeated behind their back.
      mutations: { retry: false },
    },
  });
}

/** One QueryClient per browser tab (not per render, not shared between server requests). */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
