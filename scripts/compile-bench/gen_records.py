#!/usr/bin/env python3
"""Writes a crate of `#[derive(Relationships)]` records, to time their `const` pair checks.

    python3 scripts/compile-bench/gen_records.py OUT_DIR [--records 100] [--core PATH]

Each record declares the same 10 allowed pairs (`Account` uses `Host`, `Host` has `CVE`,
`Course of Action` mitigates `Attack Pattern`, ...) over 13 derived indicator structs, so
the crate has RECORDS x 10 checks. `--core` is the `relationship-core` directory to depend
on (default: this checkout's). Then: `cd OUT_DIR && cargo check`, and `touch src/main.rs`
before each timed run.
"""

import argparse
from pathlib import Path

PAIRS = [
    ("Account", "uses", "Host"),
    ("Host", "has", "CVE"),
    ("Malware", "uses", "Attack Pattern"),
    ("Intrusion Set", "uses", "Malware"),
    ("Domain", "resolves-to", "IP"),
    ("File", "communicates-with", "Domain"),
    ("Threat Actor", "targets", "Identity"),
    ("Course of Action", "mitigates", "Attack Pattern"),
    ("URL", "hosts", "File"),
    ("Campaign", "uses", "Tool"),
]


def struct_name(xsoar_type: str) -> str:
    return "T" + "".join(w.capitalize() for w in xsoar_type.replace("-", " ").split())


def source(records: int) -> str:
    types = sorted({p[0] for p in PAIRS} | {p[2] for p in PAIRS})
    out = ["use relationship_core::prelude::*;"]
    for t in types:
        out.append(
            f'#[derive(Indicator)] #[indicator(type = "{t}")] '
            f"pub struct {struct_name(t)} {{ #[indicator(value)] pub v: String }}"
        )
    for k in range(records):
        fields = []
        for i, (s, r, t) in enumerate(PAIRS):
            fields.append(f"    #[relationship({r.replace('-', '_')} = t{i})] pub s{i}: {struct_name(s)},")
            fields.append(f"    pub t{i}: {struct_name(t)},")
        out.append(f"#[derive(Relationships)] pub struct R{k} {{\n" + "\n".join(fields) + "\n}")
    out.append("fn main() {}")
    return "\n".join(out) + "\n"


def main() -> None:
    here = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--core", type=Path, default=here / "relationship-core")
    args = ap.parse_args()
    (args.out / "src").mkdir(parents=True, exist_ok=True)
    (args.out / "Cargo.toml").write_text(
        '[package]\nname = "records-bench"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[dependencies]\nrelationship-core = {{ path = "{args.core.resolve()}" }}\n\n[workspace]\n'
    )
    (args.out / "src" / "main.rs").write_text(source(args.records))


if __name__ == "__main__":
    main()
