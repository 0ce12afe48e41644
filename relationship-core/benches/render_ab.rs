//! Interleaved A/B timing, robust to a busy machine: the variants alternate for many rounds
//! and the fastest round of each is kept (background load only ever adds time).
//!
//! * `to_indicator`: 1,000 ATT&CK-like relationships (three `fields` each) written into one
//!   reused `Vec`: a plain `#[derive(Serialize)]` struct with the same ten fields through
//!   serde, the `to_indicator()` view through serde, and the direct writer
//!   `to_indicator().write_json` on relationships made at run time (`EntityRelationship::new`)
//!   and by typed constructors (constant parts pre-rendered).
//! * `typed`: a typed constructor call (`a.uses(&b)`), `to_indicator()` and writing it into a
//!   reused `Vec`, per relationship (no `fields`): through serde and through the direct writer.
//! * `batch`: 100,000 relationships through `write_batches` into `io::sink()`.
//!
//! Run: `cargo bench -p relationship-core --bench render_ab`

use std::hint::black_box;
use std::time::{Duration, Instant};

use relationship_core::EntityRelationship;
use relationship_core::batch::{BatchOptions, write_batches};
use relationship_core::json::{JsonStyle, write_json};

mod common;
use common::{PlainRelationship, relationships, typed_pairs, typed_relationships};

const ROUNDS: usize = 300;

/// One variant: writes into the reused buffer it is given (cleared first).
type Variant<'a> = &'a dyn Fn(&mut Vec<u8>);

/// Runs the variants in turn, `rounds` times, each into the same reused buffer, and returns
/// the fastest round of each and the bytes each wrote.
fn race<const N: usize>(rounds: usize, variants: [Variant<'_>; N]) -> ([Duration; N], [usize; N]) {
    let mut buf = Vec::with_capacity(1 << 20);
    let mut best = [Duration::MAX; N];
    let mut bytes = [0; N];
    for _ in 0..rounds {
        for ((f, best), bytes) in variants.iter().zip(&mut best).zip(&mut bytes) {
            let t = Instant::now();
            buf.clear();
            f(&mut buf);
            *bytes = black_box(buf.len());
            *best = (*best).min(t.elapsed());
        }
    }
    (best, bytes)
}

/// The `to_indicator()` rendering through serde.
#[inline]
fn serde_path(rel: &EntityRelationship, buf: &mut Vec<u8>, style: JsonStyle) {
    write_json(buf, &rel.to_indicator(), style).unwrap();
}

/// The `to_indicator()` rendering through the direct writer.
#[inline]
fn direct(rel: &EntityRelationship, buf: &mut Vec<u8>, style: JsonStyle) {
    rel.to_indicator().write_json(buf, style).unwrap();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and expects a
    // quick run.
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds = if quick { 3 } else { ROUNDS };
    race_to_indicator(rounds, 1000);
    race_typed(rounds, 1000);
    time_batches(quick);
}

/// Races the `to_indicator()` writers on `n` relationships and prints the times.
fn race_to_indicator(rounds: usize, n: usize) {
    let rels = relationships(n);
    let typed = typed_relationships(n);
    let plain: Vec<PlainRelationship> = rels.iter().map(PlainRelationship::from).collect();
    let per = |d: Duration| d.as_secs_f64() * 1e9 / n as f64;
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        let ([t_plain, t_serde, t_direct, t_typed], bytes) = race(
            rounds,
            [
                &|buf| {
                    for p in &plain {
                        write_json(buf, black_box(p), style).unwrap();
                    }
                },
                &|buf| {
                    for r in &rels {
                        serde_path(black_box(r), buf, style);
                    }
                },
                &|buf| {
                    for r in &rels {
                        direct(black_box(r), buf, style);
                    }
                },
                &|buf| {
                    for r in &typed {
                        direct(black_box(r), buf, style);
                    }
                },
            ],
        );
        assert!(bytes.iter().all(|&b| b == bytes[0]), "{bytes:?}");
        let ratio = |d: Duration| t_plain.as_secs_f64() / d.as_secs_f64();
        println!(
            "to_indicator {style:?} ({} bytes/elem): plain struct {:.0} ns; serde view {:.0} ns \
             ({:.2}x); direct, runtime-made {:.0} ns ({:.2}x); direct, typed {:.0} ns ({:.2}x)",
            bytes[0] / n,
            per(t_plain),
            per(t_serde),
            ratio(t_serde),
            per(t_direct),
            ratio(t_direct),
            per(t_typed),
            ratio(t_typed),
        );
    }
}

/// Races a typed constructor call with each writer on `n` pairs and prints the times.
fn race_typed(rounds: usize, n: usize) {
    let pairs = typed_pairs(n);
    let per = |d: Duration| d.as_secs_f64() * 1e9 / n as f64;
    for style in [JsonStyle::Compact, JsonStyle::Python] {
        let ([t_serde, t_direct], bytes) = race(
            rounds,
            [
                &|buf| {
                    for p in &pairs {
                        serde_path(&black_box(p).relate(), buf, style);
                    }
                },
                &|buf| {
                    for p in &pairs {
                        direct(&black_box(p).relate(), buf, style);
                    }
                },
            ],
        );
        assert_eq!(bytes[0], bytes[1]);
        let rate = |d: Duration| n as f64 / d.as_secs_f64() / 1e6;
        println!(
            "typed constructor + to_indicator {style:?} ({} bytes/elem): serde {:.0} ns \
             ({:.2} M/s); direct {:.0} ns ({:.2} M/s)",
            bytes[0] / n,
            per(t_serde),
            rate(t_serde),
            per(t_direct),
            rate(t_direct),
        );
    }
}

/// Times `write_batches` on 100,000 relationships (1,000 when `quick`) and prints the times.
fn time_batches(quick: bool) {
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
