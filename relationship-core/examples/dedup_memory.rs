//! Memory of `BatchWriter`'s de-duplication: pushes N distinct tiny relationships through a
//! writer to `io::sink()`, with de-duplication on or off, and prints the peak resident set
//! (`VmHWM`, Linux) and the time taken. The difference between `on` and `off`, divided by
//! N, is what de-duplication costs per distinct relationship at peak.
//!
//! ```sh
//! cargo build --release -p relationship-core --example dedup_memory
//! for d in off on; do /usr/bin/time -f "%M KB %e s" target/release/examples/dedup_memory 10000000 $d; done
//! ```

use std::io;
use std::time::Instant;

use relationship_core::EntityRelationship;
use relationship_core::batch::{BatchOptions, BatchWriter};
use relationship_core::json::JsonStyle;

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dedup = match args.next().as_deref() {
        None | Some("on") => true,
        Some("off") => false,
        Some(other) => {
            eprintln!("usage: dedup_memory [N] [on|off] (got {other:?})");
            std::process::exit(2);
        }
    };
    let options = BatchOptions {
        dedup,
        ..BatchOptions::default()
    };
    let start = Instant::now();
    let mut writer = BatchWriter::new(io::sink(), options, JsonStyle::Compact);
    for i in 0..n {
        let rel = EntityRelationship::new(
            "uses",
            "used-by",
            format!("a{i}"),
            "Account",
            format!("h{i}"),
            "Host",
        );
        writer.push_relationship(rel).expect("sink never fails");
    }
    let stats = writer.finish().expect("sink never fails");
    let elapsed = start.elapsed();
    assert_eq!(stats.relationships, n);
    println!(
        "n={n} dedup={} peak_rss_kb={} seconds={:.2}",
        if dedup { "on" } else { "off" },
        peak_rss_kb().map_or_else(|| "?".to_string(), |kb| kb.to_string()),
        elapsed.as_secs_f64()
    );
}
