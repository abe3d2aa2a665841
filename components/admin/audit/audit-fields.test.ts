import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { SurgePolicyRecord } from "@/server/admin/admin-types";
import { settingFields } from "@/server/alerts/alert-service";
import type { NotifyOutcome } from "@/server/alerts/notice";
import { auditedEventFields } from "@/server/schedule/event-store";
import { testRoom } from "@/server/testing/room-fixture";
import { auditFields } from "./audit-fields";

// Every key the server writes into an audit entry has a label of its own: a new room setting,
// event field, threshold field or literal key in a recordBy call fails here until it gets one
// (an unlabelled key would still show, as words made from the key, but not as a person says it).

const labelled = new Set(Object.keys(auditFields));

/** The keys of the object literals given as `before:` / `after:` in the server's audit calls. */
function literalAuditKeys(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "testing" || entry.name === "generated" ? [] : walk(file);
      return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [file] : [];
    });
  for (const file of walk(path.resolve("server"))) {
    const source = fs.readFileSync(file, "utf8");
    if (!/recordBy\(|announceScaleAction\(/.test(source)) continue;
    for (const match of source.matchAll(/\b(?:before|after): \{/g)) {
      // The literal, braces balanced.
      let depth = 0;
      let end = match.index + match[0].length - 1;
      for (; end < source.length; end++) {
        if (source[end] === "{") depth++;
        else if (source[end] === "}" && --depth === 0) break;
      }
      const literal = source.slice(match.index + match[0].length, end);
      // "key: value" at any depth (a ternary's " : " has a space before the colon), and
      // shorthand "{ key }" / "key," entries.
      for (const key of literal.matchAll(/(?<![\w.?])(\w+):(?=\s)/g)) found.set(key[1] as string, file);
      for (const part of literal.split(",")) {
        const shorthand = /^\s*(\w+)\s*$/.exec(part);
        if (shorthand) found.set(shorthand[1] as string, file);
      }
    }
  }
  return found;
}

describe("audit field labels", () => {
  it("label every setting of a room (room.create, room.update, room.delete)", () => {
    expect(Object.keys(testRoom()).filter((key) => !labelled.has(key))).toEqual([]);
  });

  it("label every field of a scale event the audit records", () => {
    expect(auditedEventFields.filter((key) => !labelled.has(key))).toEqual([]);
  });

  it("label every field of an alert threshold, and its state", () => {
    expect([...settingFields, "state"].filter((key) => !labelled.has(key))).toEqual([]);
  });

  it("label every field of a surge policy and of a notification's outcome", () => {
    // Typed as the server's records: a field added there must be added here, or this does not compile.
    const policy: Required<SurgePolicyRecord> = {
      roomId: "shop",
      capacity: 1,
      holdMinutes: 1,
      endBelowArrivalsPerMin: null,
      endAfterLowMinutes: 1,
      newUsersPerMinute: null,
    };
    const outcomes: NotifyOutcome[] = [
      { status: "queued", deliveryId: "d1" },
      { status: "no_channel" },
      { status: "not_recorded", reason: "x" },
    ];
    const keys = [...Object.keys(policy), ...outcomes.flatMap((outcome) => Object.keys(outcome))];
    expect(keys.filter((key) => !labelled.has(key))).toEqual([]);
  });

  it("label every key the server's audit calls write literally", () => {
    const keys = literalAuditKeys();
    // The scan finds what it should: a key from each kind of call.
    for (const known of ["admissionNo", "position", "waiting", "evicted", "topicArn", "revokedAt", "prefix"]) {
      expect(keys.has(known), known).toBe(true);
    }
    const missing = [...keys].filter(([key]) => !labelled.has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
