//! Property tests of createIndicators batching: every relationship lands in exactly one
//! chunk (or is a counted duplicate), chunks and dummies respect the batch size, at most one
//! dummy per chunk, indicators keep their order, attached relationships sit on their source,
//! and the Python style encodes the same values as the compact one.

use std::collections::HashMap;

use proptest::prelude::*;
use relationship_core::batch::{BatchOptions, BatchStats, BatchWriter, Placement};
use relationship_core::json::{self, JsonStyle};
use relationship_core::{
    DUMMY_INDICATOR_VALUE, EntityRelationship, Fields, IndicatorObject, RawJson,
};
use serde_json::Value;

#[derive(Debug, Clone)]
enum Op {
    Indicator(IndicatorObject),
    Relationship(EntityRelationship),
}

/// Small pools so that duplicates, attachable sources and repeated indicators are common.
fn op() -> impl Strategy<Value = Op> {
    let value = prop::sample::select(vec!["a", "b", "c", "d", "é😀"]);
    let ty = prop::sample::select(vec!["Account", "Host"]);
    let name = prop::sample::select(vec!["uses", "related-to"]);
    let target = prop::sample::select(vec!["x", "y", ""]);
    prop_oneof![
        (
            value.clone(),
            ty.clone(),
            prop::option::of(0u8..4),
            any::<bool>()
        )
            .prop_map(|(v, t, score, with_rel)| {
                let mut ind = IndicatorObject::new(v, t);
                ind.score = score;
                if with_rel {
                    ind.relationships.push(EntityRelationship::new(
                        "uses", "used-by", v, t, "pre", "Host",
                    ));
                }
                Op::Indicator(ind)
            }),
        (name, value, ty.clone(), target, ty).prop_map(|(n, a, at, b, bt)| {
            Op::Relationship(EntityRelationship::new(n, "r", a, at, b, bt))
        }),
    ]
}

fn options() -> impl Strategy<Value = BatchOptions> {
    (
        1usize..7,
        prop::sample::select(vec![Placement::Dummy, Placement::Attach]),
        any::<bool>(),
    )
        .prop_map(|(batch_size, placement, dedup)| BatchOptions {
            batch_size,
            placement,
            dedup,
        })
}

fn run(ops: &[Op], options: BatchOptions, style: JsonStyle) -> (Vec<u8>, BatchStats) {
    let mut out = Vec::new();
    // Empty targets are in the pool: XSOAR's own (lenient) rendering of them is batched too.
    let mut w = BatchWriter::new(&mut out, options, style).with_lenient_entities();
    for op in ops.iter().cloned() {
        match op {
            Op::Indicator(i) => w.push_indicator(i).unwrap(),
            Op::Relationship(r) => w.push_relationship(r).unwrap(),
        }
    }
    let stats = w.finish().unwrap();
    (out, stats)
}

/// How often each rendering occurs.
fn count(v: &[String]) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for r in v {
        *m.entry(r.as_str()).or_default() += 1;
    }
    m
}

fn render(rel: &EntityRelationship) -> String {
    json::to_string(&rel.to_indicator(), JsonStyle::Compact).unwrap()
}

/// The string at `key`, if there is one.
fn str_at(item: &Fields, key: &str) -> Option<String> {
    item.get(key)
        .and_then(RawJson::as_str)
        .map(|s| s.into_owned())
}

/// The items of the array at `key`, if it is an array.
fn array_at(item: &Fields, key: &str) -> Option<Vec<RawJson>> {
    item.get(key).and_then(|a| a.deserialize_into().ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn batching_invariants(ops in prop::collection::vec(op(), 0..60), options in options()) {
        let n = options.batch_size;
        let (out, stats) = run(&ops, options, JsonStyle::Compact);
        let text = String::from_utf8(out).unwrap();
        prop_assert!(text.is_empty() || text.ends_with('\n'));
        // Read in order, as written: items are objects with their keys in output order.
        let chunks: Vec<Vec<Fields>> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        prop_assert_eq!(stats.chunks, chunks.len() as u64);

        // Every input relationship, in input order (pre-attached ones at their indicator).
        let mut input_rels: Vec<String> = Vec::new();
        let mut input_inds: Vec<(String, String)> = Vec::new();
        for op in &ops {
            match op {
                Op::Indicator(i) => {
                    input_inds.push((i.value.clone(), i.indicator_type.to_string()));
                    input_rels.extend(i.relationships.iter().map(render));
                }
                Op::Relationship(r) => input_rels.push(render(r)),
            }
        }
        let expected: Vec<String> = if options.dedup {
            let mut seen = std::collections::HashSet::new();
            input_rels.iter().filter(|r| seen.insert(r.as_str())).cloned().collect()
        } else {
            input_rels.clone()
        };

        let mut out_inds = Vec::new();
        let mut out_rels: Vec<String> = Vec::new();
        let mut dummy_rels: Vec<String> = Vec::new();
        let mut dummies = 0;
        for chunk in &chunks {
            prop_assert!(!chunk.is_empty() && chunk.len() <= n, "chunk of {} > {}", chunk.len(), n);
            let in_chunk = chunk.iter().filter(|v| str_at(v, "value").as_deref() == Some(DUMMY_INDICATOR_VALUE)).count();
            prop_assert!(in_chunk <= 1, "{} dummies in one chunk", in_chunk);
            for (k, item) in chunk.iter().enumerate() {
                let rels: Vec<String> = array_at(item, "relationships")
                    .map(|a| a.iter().map(|r| r.get().to_owned()).collect()).unwrap_or_default();
                if str_at(item, "value").as_deref() == Some(DUMMY_INDICATOR_VALUE) {
                    dummies += 1;
                    prop_assert_eq!(k, chunk.len() - 1, "dummy is last in its chunk");
                    prop_assert!(!rels.is_empty() && rels.len() <= n, "dummy carries {}", rels.len());
                    dummy_rels.extend(rels.iter().cloned());
                } else {
                    out_inds.push((str_at(item, "value").unwrap(), str_at(item, "type").unwrap()));
                    for r in array_at(item, "relationships").into_iter().flatten() {
                        if let Some(o) = r.deserialize_into::<Fields>().ok().filter(|o| !o.is_empty()) {
                            prop_assert_eq!(o.get("entityA"), item.get("value"));
                            prop_assert_eq!(o.get("entityAType"), item.get("type"));
                        }
                    }
                }
                out_rels.extend(rels);
            }
        }
        prop_assert_eq!(&out_inds, &input_inds, "indicators in push order, each once");
        prop_assert_eq!(stats.indicators, input_inds.len() as u64);
        prop_assert_eq!(stats.dummies, dummies);

        // Exactly once: the output multiset equals the (deduplicated) input multiset.
        prop_assert_eq!(count(&out_rels), count(&expected));
        prop_assert_eq!(stats.relationships, expected.len() as u64);
        prop_assert_eq!(stats.duplicates_dropped, (input_rels.len() - expected.len()) as u64);
        // Dummy relationships keep input order.
        let mut it = expected.iter();
        for r in &dummy_rels {
            prop_assert!(it.any(|e| e == r), "dummy order differs from input order");
        }
        if options.placement == Placement::Dummy {
            let pre: usize = ops.iter().map(|op| match op { Op::Indicator(i) => i.relationships.len(), _ => 0 }).sum();
            prop_assert!(dummy_rels.len() + pre >= out_rels.len());
        }

        // The Python style encodes the same values, line by line.
        let (py, py_stats) = run(&ops, options, JsonStyle::Python);
        prop_assert_eq!(py_stats, stats);
        let py = String::from_utf8(py).unwrap();
        prop_assert!(py.is_ascii());
        // Compared as canonical text: same values, same key order, same number text.
        let py_chunks: Vec<RawJson> = py.lines().map(|l| RawJson::parse(l).unwrap()).collect();
        let compact_chunks: Vec<RawJson> = text.lines().map(|l| RawJson::parse(l).unwrap()).collect();
        prop_assert_eq!(py_chunks, compact_chunks);

        // Deterministic.
        prop_assert_eq!(run(&ops, options, JsonStyle::Compact).0, text.into_bytes());
    }
}

#[test]
fn a_large_feed_streams_in_bounded_chunks() {
    // 25,000 relationships with 5,000 repeats, default options: 10 dummies of 2000 in 10
    // chunks, every distinct relationship once.
    let rel = |i: usize| {
        EntityRelationship::new(
            "uses",
            "used-by",
            format!("a{}", i % 20_000),
            "Account",
            "h",
            "Host",
        )
    };
    let mut out = Vec::new();
    let stats = relationship_core::write_batches(
        &mut out,
        [],
        (0..25_000).map(rel),
        BatchOptions::default(),
        JsonStyle::Python,
    )
    .unwrap();
    assert_eq!(
        stats,
        BatchStats {
            chunks: 10,
            indicators: 0,
            relationships: 20_000,
            duplicates_dropped: 5_000,
            dummies: 10
        }
    );
    let lines: Vec<&[u8]> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 10);
    for line in lines {
        let chunk: Vec<Value> = serde_json::from_slice(line).unwrap();
        assert_eq!(chunk.len(), 1);
        assert_eq!(chunk[0]["relationships"].as_array().unwrap().len(), 2000);
    }
}
