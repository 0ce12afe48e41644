#!/usr/bin/env bash
# Fetches MITRE ATT&CK Enterprise (STIX 2.0, ATT&CK v8) as shipped in the crates.io package
# `attck` 0.3.0 and copies it to data/attck/enterprise.json (gitignored).
#
# The package is resolved through a throw-away manifest in a temporary directory with its own
# `[workspace]`, so its old dependencies never enter this project's build: `cargo fetch`
# downloads it into the cargo registry cache (nothing is compiled) and `cargo metadata` tells
# where it was unpacked. The file is checked against a pinned SHA-256 before it is copied.
set -euo pipefail

readonly SHA256="98a96ae0b36e9cd99048f16da28ec177b9b50249111677f0a194013f50f70366"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/data/attck/enterprise.json"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$dest" ] && [ "$(sha_of "$dest")" = "$SHA256" ]; then
  echo "fetch-attck: $dest is present and verified"
  exit 0
fi

side="$(mktemp -d "${TMPDIR:-/tmp}/attck-fetch.XXXXXX")"
trap 'rm -rf "$side"' EXIT
mkdir -p "$side/src"
cat >"$side/Cargo.toml" <<'TOML'
[package]
name = "attck-fetch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
attck = "=0.3.0"

[workspace]
TOML
: >"$side/src/lib.rs"

cargo fetch --quiet --manifest-path "$side/Cargo.toml"
manifest="$(cargo metadata --format-version 1 --manifest-path "$side/Cargo.toml" |
  python3 -c 'import json, sys
meta = json.load(sys.stdin)
print(next(p["manifest_path"] for p in meta["packages"] if p["name"] == "attck" and p["version"] == "0.3.0"))')"
src="$(dirname "$manifest")/json/enterprise.json"

got="$(sha_of "$src")"
if [ "$got" != "$SHA256" ]; then
  echo "fetch-attck: checksum mismatch for $src: got $got, want $SHA256" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
cp "$src" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "fetch-attck: wrote $dest ($(wc -c <"$dest") bytes, sha256 verified)"
