// The process entry runs outside Next's bundler, where the "server-only" marker package would
// throw on import. This process *is* the server, so resolve the marker to its empty module.
// Must be the first import of server/main.ts (and of scripts that load server modules).
import Module from "node:module";
import path from "node:path";

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const resolveFilename = moduleWithResolve._resolveFilename;

// The package exports only its entry; its empty twin sits beside it.
const emptyMarker = path.join(path.dirname(require.resolve("server-only")), "empty.js");

moduleWithResolve._resolveFilename = function resolveServerOnly(this: unknown, request, ...rest) {
  if (request === "server-only") return emptyMarker;
  return resolveFilename.call(this, request, ...rest);
};
