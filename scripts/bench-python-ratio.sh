#!/usr/bin/env bash
# Whole job against Python's json round trip: times `xsoar-rel batch --lenient --python-json
# --batch-size 2000 INPUT > /dev/null` side by side with Python 3 doing
# `json.dumps(json.loads(line))` for every line of the same INPUT (to /dev/null).
#
# The input (generated once, deterministic): N NDJSON records (default 200,000, about 87 MB),
# ATT&CK-style relationship rows whose `fields` hold long descriptions with non-ASCII
# characters and dates, about 5% exact duplicates of a recent record and about 1% indicator
# records. The two commands run interleaved (a, b, a, b, ...), ROUNDS times each (default 5);
# the script prints the wall and CPU (user + sys) time of every run, the best wall time of
# each and the ratio python best / xsoar-rel best, with the load average before and after.
#
# Usage: scripts/bench-python-ratio.sh [ROUNDS] [N]
# Environment: BENCH_DIR (default target/bench) holds the generated input; PYTHON (default
# python3) is the Python that is timed; STYLE=compact times compact output instead: xsoar-rel
# without --python-json against `json.dumps(..., separators=(",", ":"), ensure_ascii=False)`,
# Python's spelling of the same compact JSON (default STYLE=python: --python-json against
# `json.dumps` with its defaults); XSOAR_REL=PATH times that binary (an earlier build, say)
# instead of building this tree.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-5}"
n="${2:-200000}"
python="${PYTHON:-python3}"
dir="${BENCH_DIR:-target/bench}"
style="${STYLE:-python}"
case "$style" in
  python|compact) ;;
  *) echo "STYLE must be python or compact, not $style" >&2; exit 2 ;;
esac
input="$dir/attck-style-$n.ndjson"
mkdir -p "$dir"

if [ ! -s "$input" ]; then
  echo "== generating $n records into $input"
  python3 - "$n" "$input.tmp" <<'PY'
import json, random, sys

n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20240417)
groups = ["APT29", "APT28", "FIN7", "Lazarus Group", "Sandworm Team", "Turla", "Wizard Spider",
          "Kimsuky", "MuddyWater", "OilRig", "Gamaredon Group", "Mustang Panda"]
software = ["SUNBURST", "Emotet", "TrickBot", "Cobalt Strike", "QakBot", "Ryuk", "Mimikatz",
            "PlugX", "Industroyer", "NotPetya", "BlackEnergy", "Olympic Destroyer"]
techniques = ["Phishing: Spearphishing Link", "OS Credential Dumping: LSASS Memory",
              "Command and Scripting Interpreter: PowerShell", "Application Layer Protocol: Web Protocols",
              "Ingress Tool Transfer", "Valid Accounts: Domain Accounts", "Scheduled Task/Job: Scheduled Task",
              "Obfuscated Files or Information", "Remote Services: SMB/Windows Admin Shares",
              "Data Encrypted for Impact", "Exfiltration Over C2 Channel", "System Network Discovery"]
mitigations = ["User Training", "Privileged Account Management", "Network Segmentation",
               "Execution Prevention", "Multi-factor Authentication", "Restrict Web-Based Content"]
phrases = ["has used", "has leveraged", "deployed", "relied on", "was observed using", "can use"]
extras = ["during the campaign against Ukraine’s power grid",
          "in operations described by ESET — see the “Operation Ghost” report",
          "against targets in Česko, Türkiye and Côte d’Ivoire",
          "to move laterally (Müller et al., 2021)",
          "in spear-phishing emails written in русский and 中文",
          "after initial access via a trojanised installer…",
          "as part of a post-exploitation toolkit; see naïve détente analysis",
          "with payloads staged on compromised WordPress sites ≥ 2019"]
brands = ["MITRE ATT&CK", "Unit 42 ATT&CK", "Feed ATT&CK v2"]
reliabilities = ["A - Completely reliable", "B - Usually reliable", "C - Fairly reliable"]

def date(rng):
    return (f"20{rng.randrange(15, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            f"T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}Z")

def description(src, dst, i):
    cite = f"{rng.choice(['Mandiant', 'Secureworks', 'Kaspersky', 'Cisco Talos', 'Microsoft'])} {rng.randrange(2014, 2025)}"
    return f"{src} {rng.choice(phrases)} {dst} {rng.choice(extras)} (Citation: {cite})."

def relationship(i):
    k = rng.random()
    if k < 0.45:
        src, st, name, dst, dt = rng.choice(groups), "Intrusion Set", "uses", rng.choice(techniques), "Attack Pattern"
    elif k < 0.75:
        src, st, name, dst, dt = rng.choice(software), "Malware", "uses", rng.choice(techniques), "Attack Pattern"
    elif k < 0.90:
        src, st, name, dst, dt = rng.choice(groups), "Intrusion Set", "uses", rng.choice(software), "Malware"
    else:
        src, st, name, dst, dt = rng.choice(mitigations), "Course of Action", "mitigates", rng.choice(techniques), "Attack Pattern"
    first = date(rng)
    r = {"name": name, "entity_a": src, "entity_a_type": st, "entity_b": dst, "entity_b_type": dt,
         "fields": {"description": description(src, dst, i),
                    "firstseenbysource": first,
                    "lastseenbysource": date(rng)}}
    if rng.random() < 0.2:
        r["source_reliability"] = rng.choice(reliabilities)
        r["brand"] = rng.choice(brands)
    return r

recent = []
with open(path, "w", encoding="utf-8") as f:
    for i in range(n):
        roll = rng.random()
        if roll < 0.05 and recent:
            line = rng.choice(recent)          # an exact duplicate of a recent record
        elif roll < 0.06:
            line = json.dumps({"value": rng.choice(groups + software), "type": "Intrusion Set",
                               "score": rng.randrange(4),
                               "fields": {"description": description("x", "y", i)}}, ensure_ascii=False)
        else:
            line = json.dumps(relationship(i), ensure_ascii=False)
            recent.append(line)
            if len(recent) > 1000:
                recent.pop(0)
        f.write(line + "\n")
PY
  mv "$input.tmp" "$input"
fi
ls -l "$input"

if [ -n "${XSOAR_REL:-}" ]; then
  bin="$XSOAR_REL"
else
  echo "== building xsoar-rel (release)"
  cargo build --release -p relationship-cli --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/xsoar-rel"
fi

python3 - "$rounds" "$bin" "$input" "$python" "$style" <<'PY'
import os, resource, subprocess, sys, time

rounds, binary, path, python, style = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
dumps_args = "" if style == "python" else ", separators=(',', ':'), ensure_ascii=False"
roundtrip = ("import json, sys\n"
             "w = sys.stdout.write\n"
             "with open(sys.argv[1], encoding='utf-8') as f:\n"
             "    for line in f:\n"
             f"        w(json.dumps(json.loads(line){dumps_args}))\n"
             "        w('\\n')\n")
style_flags = ["--python-json"] if style == "python" else []
cmds = {
    "xsoar-rel": [binary, "batch", "--lenient", *style_flags, "--batch-size", "2000", path],
    "python": [python, "-c", roundtrip, path],
}
print("== style:", style)
print("== xsoar-rel:", " ".join(cmds["xsoar-rel"]), "> /dev/null")
print(f'== python:    {python} -c "for line: json.dumps(json.loads(line){dumps_args})" {path} > /dev/null')
print("== python version:", subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                                          capture_output=True, text=True).stdout.strip())
print("== load average before: %.2f %.2f %.2f" % os.getloadavg())
times = {k: [] for k in cmds}
with open(os.devnull, "wb") as null:
    for r in range(rounds):
        for name, cmd in cmds.items():
            ru = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd, stdout=null, check=True)
            times[name].append(time.perf_counter() - t)
            ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (ru2.ru_utime - ru.ru_utime) + (ru2.ru_stime - ru.ru_stime)
            print(f"round {r + 1} {name:9} {times[name][-1]:.3f} s wall, {cpu:.3f} s CPU", flush=True)
print("== load average after:  %.2f %.2f %.2f" % os.getloadavg())
best = {k: min(v) for k, v in times.items()}
for k, v in times.items():
    print(f"{k:9} runs: {', '.join(f'{x:.3f}' for x in v)}  best {best[k]:.3f} s")
print(f"ratio python best / xsoar-rel best: {best['python'] / best['xsoar-rel']:.2f}x")
PY
