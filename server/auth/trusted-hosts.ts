import "server-only";

// Which Host a request to next-auth may name. Without FLOODGATE_PUBLIC_URL, next-auth v4 builds
// every URL it sends back (the redirect after sign-in and sign-out, the callback URL it accepts)
// from the request's X-Forwarded-Host or Host: a request naming another host would have it
// redirect there. So only the host the server listens as, the machine's own name, and the
// operator's list (FLOODGATE_ALLOWED_HOSTS) are trusted. Pure functions: no env, no I/O.

/** "name:port", "name:*" (any port: the server was given port 0) or "name" (default port, no port in Host). */
export type TrustedHost = string;

const wildcardAddresses = new Set(["0.0.0.0", "::", "[::]"]);

/** The hosts a server listening on `hostname`:`port` on machine `machineName` answers as, plus the configured ones. */
export function trustedHosts(options: {
  port: number;
  hostname: string;
  machineName: string;
  allowedHosts: readonly string[];
}): TrustedHost[] {
  const names = new Set(["localhost", "127.0.0.1", "[::1]"]);
  if (options.machineName) names.add(options.machineName.toLowerCase());
  const listening = bracketIpv6(options.hostname.toLowerCase());
  if (!wildcardAddresses.has(listening)) names.add(listening);
  const hosts: TrustedHost[] = [];
  for (const name of names) {
    if (options.port === 0) hosts.push(`${name}:*`);
    else hosts.push(`${name}:${options.port}`);
    // Browsers leave the port out of Host when it is the scheme's default.
    if (options.port === 80 || options.port === 443) hosts.push(name);
  }
  return [...hosts, ...options.allowedHosts.map((host) => host.toLowerCase())];
}

/** A Host header's name and port (null when none); null when it is not a host at all. */
export function parseHost(value: string): { name: string; port: string | null } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match?.[1]) return null;
  return { name: match[1].toLowerCase(), port: match[2] ?? null };
}

export function isTrustedHost(value: string, trusted: readonly TrustedHost[]): boolean {
  const host = parseHost(value);
  if (!host) return false;
  return trusted.some((entry) => {
    const wanted = parseHost(entry.replace(/:\*$/, ""));
    if (!wanted || wanted.name !== host.name) return false;
    if (entry.endsWith(":*")) return true;
    return wanted.port === host.port;
  });
}

/**
 * Why this request may not reach next-auth, or null when it may: every host it names
 * (X-Forwarded-Host, which next-auth prefers, and Host) must be trusted.
 */
export function untrustedHostProblem(headers: Headers, trusted: readonly TrustedHost[]): string | null {
  const host = headers.get("host");
  if (host === null || !isTrustedHost(host, trusted))
    return "The Host header names a host this server does not answer as.";
  const forwarded = headers.get("x-forwarded-host");
  if (forwarded !== null && !isTrustedHost(forwarded, trusted)) {
    return "The X-Forwarded-Host header names a host this server does not answer as.";
  }
  return null;
}

function bracketIpv6(name: string): string {
  return name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
}
