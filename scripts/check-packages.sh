#!/usr/bin/env bash
# Packages every publishable crate (`cargo package` builds each one from its own tarball),
# then builds and runs, outside this workspace, a user crate that depends on those packages
# only: its `src/main.rs` is the README's worked example. Also checks that the runtime's
# normal dependency tree carries no code generator or JSON schema parser.
#
#   bash scripts/check-packages.sh          # prints the user crate's clean-build time
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Crates that are published, in dependency order; everything else is `publish = false`.
readonly CRATES=(relationship-schema relationship-schema-parse relationship-codegen
  relationship-macros relationship-core relationship-stix relationship-cli)
# The packages a user of the runtime builds (directly or as build-dependencies).
readonly RUNTIME_CRATES=(relationship-schema relationship-schema-parse relationship-codegen
  relationship-macros relationship-core)
version="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "relationship-core"))')"
work="$(mktemp -d "${TMPDIR:-/tmp}/xsoar-rel-user.XXXXXX")"
# Packaging runs in a target directory of its own: cargo unpacks the packages it verifies
# into a registry named after that directory, and would reuse a stale unpacked copy of the
# same version left by an earlier run in the same directory.
target="$work/package-target"
cargo_src="${CARGO_HOME:-$HOME/.cargo}/registry/src"
known_src="$(ls "$cargo_src" 2>/dev/null || true)"
cleanup() {
  # The unpacked copies of this run's packages, and everything else of this run.
  for d in $(ls "$cargo_src" 2>/dev/null || true); do
    if ! grep -qxF -- "$d" <<<"$known_src" && [ -e "$cargo_src/$d/relationship-core-$version" ]; then
      rm -rf "${cargo_src:?}/$d"
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== cargo package (each crate verified from its tarball)"
args=()
for c in "${CRATES[@]}"; do args+=(-p "$c"); done
CARGO_TARGET_DIR="$target" cargo package --locked "${args[@]}"

mkdir -p "$work/pkgs" "$work/user/src"
for c in "${CRATES[@]}"; do
  tar -xzf "$target/package/$c-$version.crate" -C "$work/pkgs"
done

{
  cat <<TOML
[package]
name = "xsoar-rel-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
relationship-core = "$version"

[workspace]

[patch.crates-io]
TOML
  for c in "${RUNTIME_CRATES[@]}"; do
    echo "$c = { path = \"../pkgs/$c-$version\" }"
  done
} >"$work/user/Cargo.toml"

# The README's worked example (the first rust block after its heading) as `main`.
python3 - "$root/README.md" >"$work/user/src/main.rs" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Worked example", 1)[1]
code = re.search(r"```rust\n(.*?)```", section, re.S).group(1)
uses = [l for l in code.splitlines() if l.startswith("use ")]
body = [l for l in code.splitlines() if not l.startswith("use ")]
print("\n".join(uses))
print("\nfn main() {")
print("\n".join("    " + l if l else "" for l in body))
print('    println!("README example: ok");')
print("}")
PY
cp "$root/Cargo.lock" "$work/user/Cargo.lock"

echo "== the runtime's normal dependencies (no generator, no schema parser)"
tree="$(cd "$work/user" && cargo tree -e normal -p relationship-core)"
if grep -E 'relationship-codegen|prettyplease|jsonc-parser|relationship-schema-parse' <<<"$tree"; then
  echo "check-packages: the runtime's normal dependency tree carries the code generator or parser" >&2
  exit 1
fi
echo "ok: $(grep -c . <<<"$tree") lines, none of relationship-codegen, relationship-schema-parse, prettyplease, jsonc-parser"

# Under CI the user crate builds in the packaging target directory, reusing the third-party
# dependencies packaging built (the packages themselves are other sources there, so they are
# built anew); elsewhere in a directory of its own, and its clean-build time is printed.
if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
  user_target="$target"
  echo "== a user crate on the packages only: build (sharing the packaging build), then run"
else
  user_target="$work/target"
  echo "== a user crate on the packages only: clean build, then run"
fi
start=$(date +%s.%N)
(cd "$work/user" && CARGO_TARGET_DIR="$user_target" cargo build --quiet)
end=$(date +%s.%N)
if [ "$user_target" = "$work/target" ]; then
  python3 -c "print(f'clean build of the user crate (one derive pair, debug): {$end - $start:.1f} s')"
fi
out="$(cd "$work/user" && CARGO_TARGET_DIR="$user_target" cargo run --quiet)"
echo "$out"
[ "$out" = "README example: ok" ] || { echo "check-packages: unexpected output" >&2; exit 1; }
