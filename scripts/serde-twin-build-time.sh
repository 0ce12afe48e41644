#!/usr/bin/env bash
# The cost of adding relationship-core to a program: the clean (debug) build of a user crate
# with two `#[derive(Indicator)]` structs and one typed call, against its twin with the same
# structs deriving serde's `Serialize`/`Deserialize` only (serde + serde_json), built in turn
# (user, twin, user, twin, ...) so that load changes hit both alike. Prints each run, the
# median of each, their ratio, and the distinct crates of each build graph (normal + build).
#
#   bash scripts/serde-twin-build-time.sh [ROUNDS]        # default 3
#
# Each build has its own empty target directory; the registry is fetched before timing.
set -euo pipefail
rounds="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/serde-twin.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# manifest NAME EXTRA_DEPENDENCY_LINE: a crate with serde + serde_json, and one more line.
manifest() {
  mkdir -p "$work/$1/src"
  cat >"$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$2
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
TOML
}
manifest user "relationship-core = { path = \"$root/relationship-core\" }"
manifest twin ""
cat >"$work/user/src/main.rs" <<'RS'
use relationship_core::prelude::*;

#[derive(Indicator, serde::Serialize, serde::Deserialize)]
#[indicator(type = "Account")]
struct User {
    #[indicator(value)]
    name: String,
}

#[derive(Indicator, serde::Serialize, serde::Deserialize)]
#[indicator(type = "Host")]
struct Machine {
    #[indicator(value)]
    fqdn: String,
}

fn main() {
    let user = User { name: "u4872".into() };
    let machine = Machine { fqdn: "pc1".into() };
    let rel = user.uses(&machine);
    println!("{}", serde_json::to_string(&rel.to_indicator()).unwrap_or_default());
}
RS
cat >"$work/twin/src/main.rs" <<'RS'
#[derive(serde::Serialize, serde::Deserialize)]
struct User {
    name: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Machine {
    fqdn: String,
}

fn main() {
    let user = User { name: "u4872".into() };
    let machine = Machine { fqdn: "pc1".into() };
    println!("{}", serde_json::to_string(&(user, machine)).unwrap_or_default());
}
RS
cp "$root/Cargo.lock" "$work/user/Cargo.lock"
cp "$root/Cargo.lock" "$work/twin/Cargo.lock"
for c in user twin; do (cd "$work/$c" && cargo fetch --quiet); done

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min); cores: $(nproc)"
for c in user twin; do
  n="$(cd "$work/$c" && cargo tree --offline -e normal,build --prefix none --format '{p}' | sed 's/ (.*//; s/ (\*)//' | sort -u | wc -l)"
  echo "$c: $n distinct crates (normal + build graph)"
done

declare -A times
for r in $(seq 1 "$rounds"); do
  for c in user twin; do
    rm -rf "$work/$c/target"
    start=$(date +%s.%N)
    (cd "$work/$c" && CARGO_TARGET_DIR="$work/$c/target" cargo build --quiet --offline)
    end=$(date +%s.%N)
    t=$(python3 -c "print(f'{$end - $start:.2f}')")
    times[$c]="${times[$c]:-} $t"
    echo "round $r: $c ${t} s"
  done
done
python3 - "${times[user]}" "${times[twin]}" <<'PY'
import statistics, sys
user = [float(x) for x in sys.argv[1].split()]
twin = [float(x) for x in sys.argv[2].split()]
mu, mt = statistics.median(user), statistics.median(twin)
print(f"median: user {mu:.2f} s, serde-only twin {mt:.2f} s, ratio {mu / mt:.2f}x")
PY
