// The address of the client as server/main.ts saw it (the socket peer, or X-Forwarded-For when
// FLOODGATE_TRUST_PROXY is on). main.ts overwrites whatever a client sends in this header, so
// code behind it (next-auth's authorize, admin routes) may trust it.
export const peerAddressHeader = "x-floodgate-peer";
