// Preloaded into every Node process that scripts/with-node.sh starts, and every one those start
// (NODE_OPTIONS=--require, inherited): tsx, Vitest's workers, Next's build workers, Playwright's
// web servers, the bench's server processes. A process that ends up on another Node (a tool
// calling /usr/bin/node, a PATH reset) stops here with a message instead of passing on the
// wrong runtime unnoticed.
const expected = process.env.FLOODGATE_EXPECT_NODE_MAJOR;
const major = process.versions.node.split(".")[0];
if (expected && major !== expected) {
  process.stderr.write(
    `expect-node: this process runs on Node ${process.version} (${process.execPath}), ` +
      `but scripts/with-node.sh chose Node ${expected} (FLOODGATE_EXPECT_NODE_MAJOR): ` +
      `something started it with another node than the one first on PATH.\n`,
  );
  process.exit(86);
}
