#!/usr/bin/env bash
# MSRV check: every target of the crates listed in CRATES (libs, binaries, unit and
# integration tests, examples) compiles with the rustc the workspace declares as its
# `rust-version` (Debian 12's rustc-web 1.85, installed with apt-get when missing; that needs
# root). It runs `cargo check`, which type-checks everything, expands every macro and runs
# every build script without generating code; the tests run on the pinned toolchain of
# rust-toolchain.toml, in `cargo test --workspace`.
#
# It works on a scratch copy of the working tree, in its own target directory, so the main
# toolchain's build and Cargo.lock are untouched. In the copy:
#   * the dev-dependencies in BENCH_ONLY_DEV_DEPS are dropped: only benches use them and
#     they need a newer rustc (criterion 0.8 declares rust-version 1.86). Benches are not
#     checked here;
#   * Cargo.lock is the committed one, which cargo may only prune (the dropped packages):
#     every version built is the version CI builds with the main toolchain.
#
# Environment: MSRV_TARGET_DIR (default: $CARGO_TARGET_DIR or target/, then msrv-<version>).
set -euo pipefail

# ---- what is checked: edit here -------------------------------------------------------
CRATES=(relationship-schema relationship-schema-parse relationship-codegen relationship-core relationship-macros relationship-stix relationship-cli)
BENCH_ONLY_DEV_DEPS=(criterion)
MSRV="1.85"
APT_VERSION="1.85.0+dfsg3-1~deb12u3"
APT_PACKAGES=(rustc-web cargo-web libstd-rust-web-dev libstd-rust-web-1.85)
RUSTC_BIN=/usr/bin/rustc
RUSTDOC_BIN=/usr/bin/rustdoc
CARGO_BIN=/usr/bin/cargo
# ----------------------------------------------------------------------------------------

root="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "check-msrv: $*"; }
die() {
  echo "check-msrv: error: $*" >&2
  exit 1
}

# The workspace must declare the version checked here.
declared="$(sed -n 's/^rust-version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n1)"
[ "$declared" = "$MSRV" ] ||
  die "Cargo.toml declares rust-version \"$declared\" but this script checks $MSRV: update one of them (MSRV and the apt packages at the top of $0)"

# ---- toolchain ----
installed() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)" = "$APT_VERSION" ] || return 1
  done
}
if ! installed; then
  command -v apt-get >/dev/null || die "rustc $MSRV is not installed and there is no apt-get (needs Debian 12: ${APT_PACKAGES[*]} = $APT_VERSION)"
  [ "$(id -u)" = 0 ] || die "installing rustc $MSRV with apt-get needs root: run as root, or install ${APT_PACKAGES[*]} = $APT_VERSION first"
  pins=()
  for p in "${APT_PACKAGES[@]}"; do pins+=("$p=$APT_VERSION"); done
  say "installing ${pins[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "${pins[@]}"; then
    say "apt-get install failed, retrying after apt-get update"
    apt-get update -q
    apt-get install -y -q "${pins[@]}" || die "could not install ${pins[*]} with apt-get"
  fi
fi
for tool in "$RUSTC_BIN" "$CARGO_BIN"; do
  version="$("$tool" --version)" || die "$tool does not run"
  case "$version" in
  "rustc $MSRV."* | "cargo $MSRV."*) say "$version" ;;
  *) die "$tool is \"$version\", expected $MSRV.x (from ${APT_PACKAGES[*]})" ;;
  esac
done

# ---- scratch copy of the working tree ----
target="${MSRV_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}/msrv-$MSRV}"
copy="$target/workspace"
say "copying the working tree to $copy"
rm -rf "$copy"
mkdir -p "$copy"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked and untracked files, not the ignored ones (target/, data/); tar keeps mtimes,
  # so the copy's target directory stays fresh between runs.
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$root/$f" ] && printf '%s\0' "$f"; done |
    tar -C "$root" --null -T - -cf - | tar -C "$copy" -xf -
else
  tar -C "$root" --exclude=./target --exclude=./data --exclude=./.git -cf - . | tar -C "$copy" -xf -
fi
# Test data fetched by scripts/fetch-attck.sh (gitignored).
if [ -d "$root/data" ]; then ln -s "$root/data" "$copy/data"; fi

for dep in "${BENCH_ONLY_DEV_DEPS[@]}"; do
  for manifest in "$copy"/*/Cargo.toml "$copy"/*/*/Cargo.toml; do
    [ -f "$manifest" ] && grep -q "^$dep\(\.workspace\)\? *=" "$manifest" || continue
    say "dropping bench-only dev-dependency $dep from ${manifest#"$copy/"}"
    sed -i "/^$dep\(\.workspace\)\? *=/d" "$manifest"
    touch -r "$root/${manifest#"$copy/"}" "$manifest"
  done
done

cd "$copy"
export CARGO_TARGET_DIR="$target/build" RUSTC="$RUSTC_BIN" RUSTDOC="$RUSTDOC_BIN"
pkgs=()
for c in "${CRATES[@]}"; do pkgs+=(-p "$c"); done

# Cargo.lock: pruning only. `cargo metadata` writes the pruned lock without building.
"$CARGO_BIN" metadata --format-version 1 >/dev/null
python3 - "$root/Cargo.lock" "$copy/Cargo.lock" <<'PY' || die "cargo $MSRV changed Cargo.lock beyond pruning (see above): the check would not build the committed versions"
import sys, tomllib
def pkgs(path):
    with open(path, "rb") as f:
        return {(p["name"], p["version"]) for p in tomllib.load(f)["package"]}
added = pkgs(sys.argv[2]) - pkgs(sys.argv[1])
for name, version in sorted(added):
    print(f"check-msrv: not in the committed Cargo.lock: {name} {version}", file=sys.stderr)
sys.exit(1 if added else 0)
PY

say "checking ${CRATES[*]} (lib, bins, tests, examples) with rustc $MSRV in $CARGO_TARGET_DIR"
if ! "$CARGO_BIN" check "${pkgs[@]}" --lib --bins --tests --examples; then
  cat >&2 <<EOF
check-msrv: error: the crates do not compile with rustc $MSRV.
  * errors in files under this workspace: code that needs a newer rustc (e.g. let chains
    need 1.88), to be rewritten for $MSRV or the declared rust-version raised;
  * errors in files under ~/.cargo/registry: a dependency that needs a newer rustc than it
    declares; pin an older version of it, or raise the declared rust-version;
  * "rustc $MSRV is not supported by the following package": a dependency's declared
    rust-version is newer: pin an older version, or if only benches use it, add it to
    BENCH_ONLY_DEV_DEPS at the top of scripts/check-msrv.sh.
EOF
  exit 1
fi
say "ok: every target of ${CRATES[*]} compiles with rustc $MSRV"
