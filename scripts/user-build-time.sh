#!/usr/bin/env bash
# Clean-build time of a user crate with one `#[derive(Indicator)]`, depending by path on the
# `relationship-core` of each checkout given, built in turn (A, B, A, B, ...) so that load
# changes hit both alike. Prints each run and the best per checkout.
#
#   git worktree add /tmp/before <commit>
#   bash scripts/user-build-time.sh 3 /tmp/before .      # rounds, then checkouts
#
# ONLY=relationship-core times the rebuild of that package (its build script, the generated
# schema module, the derives' expansion) and of the user crate, after the dependencies were
# built once: the part a schema change can make slower, without the noise of the rest.
set -euo pipefail
rounds="$1"; shift
work="$(mktemp -d "${TMPDIR:-/tmp}/user-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
i=0
for checkout in "$@"; do
  dir="$work/user$i"; mkdir -p "$dir/src"
  core="$(cd "$checkout" && pwd)/relationship-core"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "user-build-$i"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
relationship-core = { path = "$core" }

[workspace]
TOML
  cat >"$dir/src/main.rs" <<'RS'
use relationship_core::prelude::*;

#[derive(Indicator)]
#[indicator(type = "Account")]
struct User {
    #[indicator(value)]
    name: String,
}

fn main() {
    let user = User { name: "u4872".into() };
    let rel = user.related_to(&user);
    println!("{}", rel.reverse_name());
}
RS
  cp "$checkout/Cargo.lock" "$dir/Cargo.lock"
  (cd "$dir" && cargo fetch --quiet)
  i=$((i + 1))
done
declare -A best
for r in $(seq 1 "$rounds"); do
  i=0
  for checkout in "$@"; do
    dir="$work/user$i"
    if [ -n "${ONLY:-}" ]; then
      if [ "$r" = 1 ]; then
        (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --quiet --offline)
      fi
      (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo clean --quiet --offline -p "$ONLY" -p "user-build-$i")
    else
      rm -rf "$dir/target"
    fi
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --quiet --offline)
    end=$(date +%s.%N)
    t=$(python3 -c "print(f'{$end - $start:.1f}')")
    units=$(ls "$dir/target/debug/deps"/*.rlib "$dir/target/debug/deps"/*.so 2>/dev/null | wc -l)
    echo "round $r  $checkout  ${t} s  ($units libraries, load $(cut -d' ' -f1 /proc/loadavg))"
    prev="${best[$i]:-999999}"
    best[$i]=$(python3 -c "print(min($prev, $t))")
    i=$((i + 1))
  done
done
i=0
for checkout in "$@"; do echo "best  $checkout  ${best[$i]} s"; i=$((i + 1)); done
