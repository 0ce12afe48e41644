//! Rendering and batching throughput.
//!
//! * `to_indicator`: XSOAR's `to_indicator()` rendering against a plain
//!   `#[derive(Serialize)]` struct with the same ten fields and the same data, written by
//!   the same function into one reused `Vec`, in both JSON styles.
//!   `direct_runtime` and `direct_typed` are the direct writer `to_indicator().write_json` on
//!   the same relationships made at run time and by typed constructors.
//! * `typed_construct_render`: a typed constructor call, `to_indicator()` and writing into
//!   one reused `Vec`, through serde and through the direct writer.
//! * `batch`: 100,000 relationships through `write_batches` into `io::sink()`.
//!
//! Run: `cargo bench -p relationship-core --bench render -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use relationship_core::batch::{BatchOptions, write_batches};
use relationship_core::json::{JsonStyle, write_json};

mod common;
use common::{PlainRelationship, relationships, typed_pairs, typed_relationships};

fn render(c: &mut Criterion) {
    let rels = relationships(1000);
    let typed = typed_relationships(1000);
    let plain: Vec<PlainRelationship> = rels.iter().map(PlainRelationship::from).collect();
    let mut group = c.benchmark_group("to_indicator");
    group.throughput(Throughput::Elements(rels.len() as u64));
    for (style, label) in [
        (JsonStyle::Compact, "compact"),
        (JsonStyle::Python, "python"),
    ] {
        let mut buf = Vec::with_capacity(1 << 20);
        group.bench_function(format!("plain_struct/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for p in &plain {
                    write_json(&mut buf, black_box(p), style).unwrap();
                }
                black_box(buf.len())
            })
        });
        group.bench_function(format!("entity_relationship/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for r in &rels {
                    write_json(&mut buf, &black_box(r).to_indicator(), style).unwrap();
                }
                black_box(buf.len())
            })
        });
        group.bench_function(format!("direct_runtime/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for r in &rels {
                    black_box(r)
                        .to_indicator()
                        .write_json(&mut buf, style)
                        .unwrap();
                }
                black_box(buf.len())
            })
        });
        group.bench_function(format!("direct_typed/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for r in &typed {
                    black_box(r)
                        .to_indicator()
                        .write_json(&mut buf, style)
                        .unwrap();
                }
                black_box(buf.len())
            })
        });
    }
    group.finish();
}

fn typed_construct_render(c: &mut Criterion) {
    let pairs = typed_pairs(1000);
    let mut group = c.benchmark_group("typed_construct_render");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    for (style, label) in [
        (JsonStyle::Compact, "compact"),
        (JsonStyle::Python, "python"),
    ] {
        let mut buf = Vec::with_capacity(1 << 20);
        group.bench_function(format!("serde/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for p in &pairs {
                    write_json(&mut buf, &black_box(p).relate().to_indicator(), style).unwrap();
                }
                black_box(buf.len())
            })
        });
        group.bench_function(format!("direct/{label}"), |b| {
            b.iter(|| {
                buf.clear();
                for p in &pairs {
                    black_box(p)
                        .relate()
                        .to_indicator()
                        .write_json(&mut buf, style)
                        .unwrap();
                }
                black_box(buf.len())
            })
        });
    }
    group.finish();
}

fn batch(c: &mut Criterion) {
    const N: usize = 100_000;
    let rels = relationships(N);
    let mut group = c.benchmark_group("batch_100k");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(10);
    let cases = [
        (
            "dummy_dedup/compact",
            BatchOptions::default(),
            JsonStyle::Compact,
        ),
        (
            "dummy_dedup/python",
            BatchOptions::default(),
            JsonStyle::Python,
        ),
        (
            "dummy_no_dedup/compact",
            BatchOptions {
                dedup: false,
                ..BatchOptions::default()
            },
            JsonStyle::Compact,
        ),
    ];
    for (label, options, style) in cases {
        group.bench_function(label, |b| {
            b.iter_batched(
                || rels.clone(),
                |rels| write_batches(std::io::sink(), [], rels, options, style).unwrap(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, render, typed_construct_render, batch);
criterion_main!(benches);
