import ipaddr from "ipaddr.js";

// Who skips a room's line: clients from the room's address ranges (an office, a partner, a
// monitoring probe) and holders of an API key for the room, when the room allows it. They
// take a slot like anyone admitted (capacity stays exact): at once when one is free, else the
// next one, ahead of the line.

/** Parsed ranges; built once per room config, matched per arrival. */
export type AddressRanges = { contains(address: string | null): boolean; readonly size: number };

/** Whether `text` is a CIDR range ipaddr.js accepts ("10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"). */
export function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

export function addressRanges(cidrs: readonly string[]): AddressRanges {
  const ranges = cidrs.flatMap((text) => {
    try {
      return [ipaddr.parseCIDR(text)];
    } catch {
      return [];
    }
  });
  return {
    size: ranges.length,
    contains(address) {
      if (!address || ranges.length === 0 || !ipaddr.isValid(address)) return false;
      // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: compare it as IPv4.
      const parsed = ipaddr.process(address);
      return ranges.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits));
    },
  };
}
