//! Rendering and batching throughput.
//!
//! * `to_indicator`: XSOAR's `to_indicator()` rendering against a plain
//!   `#[derive(Serialize)]` struct with the same ten fields and the same data, written by
//!   the same function into one reused `Vec`, in both JSON styles.
//! * `batch`: 100,000 relationships through `write_batches` into `io::sink()`.
//!
//! Run: `cargo bench -p relationship-core --bench render -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use relationship_core::batch::{BatchOptions, write_batches};
use relationship_core::json::{JsonStyle, write_json};
use relationship_core::{EntityRelationship, Fields};
use serde::Serialize;

/// The baseline: the same ten keys as a plain derived struct.
#[derive(Serialize)]
struct PlainRelationship {
    name: String,
    #[serde(rename = "reverseName")]
    reverse_name: String,
    #[serde(rename = "type")]
    relationship_type: String,
    #[serde(rename = "entityA")]
    entity_a: String,
    #[serde(rename = "entityAFamily")]
    entity_a_family: String,
    #[serde(rename = "entityAType")]
    entity_a_type: String,
    #[serde(rename = "entityB")]
    entity_b: String,
    #[serde(rename = "entityBFamily")]
    entity_b_family: String,
    #[serde(rename = "entityBType")]
    entity_b_type: String,
    fields: Fields,
}

impl From<&EntityRelationship> for PlainRelationship {
    fn from(r: &EntityRelationship) -> Self {
        PlainRelationship {
            name: r.name().into(),
            reverse_name: r.reverse_name().into(),
            relationship_type: "IndicatorToIndicator".into(),
            entity_a: r.entity_a().into(),
            entity_a_family: "Indicator".into(),
            entity_a_type: r.entity_a_type().into(),
            entity_b: r.entity_b().into(),
            entity_b_family: "Indicator".into(),
            entity_b_type: r.entity_b_type().into(),
            fields: r.fields().clone(),
        }
    }
}

/// ATT&CK-like relationships: `uses` between named objects, with MITRE's three fields.
fn relationships(n: usize) -> Vec<EntityRelationship> {
    const TYPES: [(&str, &str, &str, &str); 4] = [
        ("uses", "used-by", "Intrusion Set", "Attack Pattern"),
        ("uses", "used-by", "Malware", "Attack Pattern"),
        (
            "mitigates",
            "mitigated-by",
            "Course of Action",
            "Attack Pattern",
        ),
        (
            "subtechnique-of",
            "parent-technique-of",
            "Attack Pattern",
            "Attack Pattern",
        ),
    ];
    (0..n)
        .map(|i| {
            let (name, reverse, a_type, b_type) = TYPES[i % TYPES.len()];
            let mut fields = Fields::new();
            fields.insert(
                "description".into(),
                format!(
                    "[Group {i}](https://attack.mitre.org/groups/G{i:04}) has used this technique."
                )
                .into(),
            );
            fields.insert("lastseenbysource".into(), "2023-03-20T15:48:37.417Z".into());
            fields.insert(
                "firstseenbysource".into(),
                "2017-05-31T21:33:27.065Z".into(),
            );
            EntityRelationship::new(
                name,
                reverse,
                format!("Group {i} ({})", i % 97),
                a_type,
                format!("Command and Scripting Interpreter: Technique {}", i % 1013),
                b_type,
            )
            .with_fields(fields)
        })
        .collect()
}

fn render(c: &mut Criterion) {
    let rels = relationships(1000);
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

criterion_group!(benches, render, batch);
criterion_main!(benches);
