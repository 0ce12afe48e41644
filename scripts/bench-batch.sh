#!/usr/bin/env bash
# Whole-process benchmark of `xsoar-rel batch`: generates N NDJSON relationship records
# (default 1,000,000; deterministic, a realistic mix with ~5% exact duplicates and ~1% indicator
# records) and times one release run with /usr/bin/time -v (wall clock and peak RSS), or with
# hyperfine when it is installed.
#
# Usage: scripts/bench-batch.sh [N] [extra xsoar-rel batch options...]
#   e.g. scripts/bench-batch.sh 1000000 --python-json
# Environment: BENCH_DIR (default target/bench) holds the generated input.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-1000000}"
shift || true
dir="${BENCH_DIR:-target/bench}"
input="$dir/relationships-$n.ndjson"
mkdir -p "$dir"

if [ ! -s "$input" ]; then
  echo "== generating $n records into $input"
  python3 - "$n" "$input" <<'PY'
import json, random, sys

n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20240302)
techniques = ["Phishing: Spearphishing Link", "OS Credential Dumping: LSASS Memory",
              "Command and Scripting Interpreter: PowerShell", "Application Layer Protocol: Web Protocols",
              "Ingress Tool Transfer", "Valid Accounts: Domain Accounts", "Scheduled Task/Job: Scheduled Task"]
groups = ["APT29", "APT28", "FIN7", "Lazarus Group", "Sandworm Team", "Turla", "Wizard Spider"]
malware = ["SUNBURST", "Emotet", "TrickBot", "Cobalt Strike", "QakBot", "Ryuk"]
reliabilities = ["A - Completely reliable", "B - Usually reliable", "C - Fairly reliable"]
brands = ["EDR Events", "Passive DNS", "Mail Gateway", "Proxy Logs"]

def ip():
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"

def rel(name, a, at, b, bt):
    r = {"name": name, "entity_a": a, "entity_a_type": at, "entity_b": b, "entity_b_type": bt}
    roll = rng.random()
    if roll < 0.30:
        day = rng.randrange(1, 29)
        r["fields"] = {"firstseenbysource": f"2024-03-{day:02d}T08:14:00Z",
                       "lastseenbysource": f"2024-03-{day:02d}T09:40:12Z"}
    if roll > 0.80:
        r["source_reliability"] = rng.choice(reliabilities)
        r["brand"] = rng.choice(brands)
    return r

def record(i):
    k = rng.random()
    u, h = rng.randrange(50000), rng.randrange(20000)
    if k < 0.25:
        return rel("uses", f"u{u}", "Account", f"pc{h}.domain.local", "Host")
    if k < 0.45:
        return rel("communicates-with", f"pc{h}.domain.local", "Host", ip(), "IP")
    if k < 0.60:
        return rel("resolves-to", f"cdn{rng.randrange(30000)}.example.net", "Domain", ip(), "IP")
    if k < 0.70:
        return rel("hosted-on", f"https://files{h}.example.org/d/{i}.zip", "URL",
                   f"files{h}.example.org", "Domain")
    if k < 0.78:
        return rel("drops", rng.choice(malware), "Malware", f"{rng.getrandbits(256):064x}", "File")
    if k < 0.80:
        return rel("sent-from", f"facturación{u}@example.org", "Email", "example.org", "Domain")
    g, t = rng.choice(groups), rng.choice(techniques)
    r = rel("uses", g, "Intrusion Set", t, "Attack Pattern")
    r["fields"] = {"description": f"{g} has used {t} (record {i}).",
                   "lastseenbysource": "2023-03-30T21:01:00.000Z",
                   "firstseenbysource": "2020-05-13T20:28:47.473Z"}
    return r

recent = []
with open(path, "w", encoding="utf-8") as f:
    for i in range(n):
        roll = rng.random()
        if roll < 0.05 and recent:
            line = rng.choice(recent)          # an exact duplicate of a recent record
        elif roll < 0.06:
            line = json.dumps({"value": f"pc{rng.randrange(20000)}.domain.local", "type": "Host",
                               "score": rng.randrange(4)})
        else:
            line = json.dumps(record(i))
            recent.append(line)
            if len(recent) > 1000:
                recent.pop(0)
        f.write(line + "\n")
PY
fi
ls -l "$input"

echo "== building xsoar-rel (release)"
cargo build --release -p relationship-cli --quiet
bin="${CARGO_TARGET_DIR:-target}/release/xsoar-rel"

echo "== timing: $bin batch $* $input > /dev/null"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 5 "$bin batch $* $input > /dev/null"
fi
/usr/bin/time -v "$bin" batch "$@" "$input" > /dev/null 2> "$dir/time.txt" || {
  cat "$dir/time.txt"; exit 1; }
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time|Exit status" "$dir/time.txt"
