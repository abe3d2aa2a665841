// Cookie names, one pair per room so a visitor can wait in several rooms at once.
// No "server-only" marker: proxy.ts and the gate share these plain strings.

export function queueCookieName(roomId: string): string {
  return `fgq_${roomId}`;
}

export function admissionCookieName(roomId: string): string {
  return `fga_${roomId}`;
}
