//! Interleaved A/B timing of `to_indicator` against the plain struct, robust to a busy
//! machine: the two variants alternate for many rounds and the fastest round of each is
//! kept (background load only ever adds time). Also times batching 100,000 relationships.
//!
//! Run: `cargo bench -p relationship-core --bench render_ab`

use std::hint::black_box;
use std::time::{Duration, Instant};

use relationship_core::batch::{BatchOptions, write_batches};
use relationship_core::json::{JsonStyle, write_json};

mod common;
use common::{PlainRelationship, relationships};

const ROUNDS: usize = 300;

fn best_of(rounds: usize, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and expects a
    // quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick { 3 } else { ROUNDS };
    let rels = relationships(1000);
    let plain: Vec<PlainRelationship> = rels.iter().map(PlainRelationship::from).collect();
    let mut buf = Vec::with_capacity(1 << 20);
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        let (mut best_plain, mut best_rel) = (Duration::MAX, Duration::MAX);
        for _ in 0..rounds {
            best_plain = best_plain.min(best_of(1, || {
                buf.clear();
                for p in &plain {
                    write_json(&mut buf, black_box(p), style).unwrap();
                }
                black_box(buf.len());
            }));
            best_rel = best_rel.min(best_of(1, || {
                buf.clear();
                for r in &rels {
                    write_json(&mut buf, &black_box(r).to_indicator(), style).unwrap();
                }
                black_box(buf.len());
            }));
        }
        let per = |d: Duration| d.as_secs_f64() * 1e9 / rels.len() as f64;
        println!(
            "to_indicator {style:?}: plain struct {:.0} ns/elem, EntityRelationship {:.0} ns/elem, \
             throughput ratio {:.3} ({} bytes/elem)",
            per(best_plain),
            per(best_rel),
            best_plain.as_secs_f64() / best_rel.as_secs_f64(),
            buf.len() / rels.len()
        );
    }

    let n: usize = if quick { 1000 } else { 100_000 };
    let many = relationships(n);
    for (label, options, style) in [
        (
            "dedup, compact",
            BatchOptions::default(),
            JsonStyle::Compact,
        ),
        ("dedup, python", BatchOptions::default(), JsonStyle::Python),
        (
            "no dedup, compact",
            BatchOptions {
                dedup: false,
                ..BatchOptions::default()
            },
            JsonStyle::Compact,
        ),
    ] {
        let mut best = Duration::MAX;
        for _ in 0..if quick { 1 } else { 7 } {
            let input = many.clone();
            let t = Instant::now();
            write_batches(std::io::sink(), [], input, options, style).unwrap();
            best = best.min(t.elapsed());
        }
        println!(
            "batch {n} ({label}): {:.1} ms, {:.0} ns/relationship",
            best.as_secs_f64() * 1e3,
            best.as_secs_f64() * 1e9 / n as f64
        );
    }
}
