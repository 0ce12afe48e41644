#!/usr/bin/env bash
# Measures `xsoar-rel convert-stix` on STIX bundles: wall, CPU (user + system), peak RSS, and
# peak RSS over the bundle's size, for one or more builds interleaved, best of several runs.
#
#   bash scripts/bench-stix.sh ROUNDS BUNDLES -- BINARY...
#
#   bash scripts/fetch-attck.sh && python3 scripts/stix-bundles.py
#   bash scripts/bench-stix.sh 5 data/attck/enterprise.json data/stix-bench/*.json \
#        -- /tmp/before/xsoar-rel target/release/xsoar-rel
#
# For each bundle, each round runs every binary once, in the order given (so the builds see
# the same machine state); the output goes to a file in a temporary directory, which is
# removed at the end. The outputs of the binaries are compared byte for byte (md5) on every
# run. Prints one line per run (with the 1-minute load average when it started), then, per
# bundle and binary, the best wall, the best CPU, and the lowest and highest peak RSS.
# Extra options for convert-stix can be given in CONVERT_OPTS (e.g. CONVERT_OPTS=--attach).
set -euo pipefail

if [ $# -lt 4 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
rounds=$1
shift
bundles=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  bundles+=("$1")
  shift
done
[ "${1:-}" = "--" ] || { echo "bench-stix: missing -- before the binaries" >&2; exit 2; }
shift
bins=("$@")
opts=${CONVERT_OPTS:-}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/bench-stix.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
results="$tmp/results"
: >"$results"

load() { cut -d' ' -f1 /proc/loadavg; }

for bundle in "${bundles[@]}"; do
  size=$(stat -c %s "$bundle")
  name=$(basename "$bundle" .json)
  for round in $(seq 1 "$rounds"); do
    sums=()
    for i in "${!bins[@]}"; do
      bin=${bins[$i]}
      l=$(load)
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" \
        "$bin" convert-stix "$bundle" $opts -o "$tmp/out.ndjson" 2>"$tmp/stderr" >/dev/null
      read -r wall user sys rss_kb <"$tmp/time"
      sums+=("$(md5sum <"$tmp/out.ndjson" | cut -c1-12)")
      awk -v n="$name" -v b="$i" -v r="$round" -v w="$wall" -v u="$user" -v s="$sys" \
        -v k="$rss_kb" -v z="$size" -v l="$l" -v m="${sums[-1]}" 'BEGIN {
          printf "%-12s bin%s round %s: wall %.2f s  cpu %.2f s (user %.2f, sys %.2f)  peak %.1f MB  %.2fx bundle  load %s  out %s\n",
            n, b, r, w, u + s, u, s, k * 1024 / 1e6, k * 1024 / z, l, m }'
      echo "$name $i $wall $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') $rss_kb $size" >>"$results"
    done
    for s in "${sums[@]}"; do
      if [ "$s" != "${sums[0]}" ]; then
        echo "bench-stix: outputs differ on $bundle: ${sums[*]}" >&2
        exit 1
      fi
    done
  done
done

echo
echo "summary (best of $rounds; peak RSS lowest-highest; ratio = peak / bundle size)"
for i in "${!bins[@]}"; do
  echo "bin$i = ${bins[$i]}"
done
awk '{
  k = $1 " bin" $2
  if (!(k in w) || $3 < w[k]) w[k] = $3
  if (!(k in c) || $4 < c[k]) c[k] = $4
  if (!(k in lo) || $5 < lo[k]) lo[k] = $5
  if (!(k in hi) || $5 > hi[k]) hi[k] = $5
  z[k] = $6
  if (!(k in seen)) { seen[k] = 1; order[++n] = k }
} END {
  for (j = 1; j <= n; j++) {
    k = order[j]
    printf "%-20s bundle %.1f MB  wall %.2f s  cpu %.2f s  peak %.1f-%.1f MB  %.2f-%.2fx\n",
      k, z[k] / 1e6, w[k], c[k], lo[k] * 1024 / 1e6, hi[k] * 1024 / 1e6,
      lo[k] * 1024 / z[k], hi[k] * 1024 / z[k]
  }
}' "$results"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
