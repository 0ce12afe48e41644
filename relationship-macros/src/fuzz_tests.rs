//! Attribute fuzzing at the `syn` level: random `#[indicator(...)]` and `#[relationship(...)]`
//! token sequences (known keys, misspelled keys, values of the wrong kind, duplicates,
//! strings with hostile characters, stray punctuation) on random item shapes (named, tuple
//! and unit structs, enums, unions, generics), parsed with `syn` (those that do not parse
//! are skipped) and expanded by both derives.
//!
//! Properties: expansion never panics; its output always parses as Rust items; every
//! `compile_error!` it emits carries a non-empty message.
//!
//! Cases per run: `PROPTEST_CASES` (default 2048 per property).

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config(default_cases: u32) -> Config {
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = default_cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x5eed_f022_2024_0004);
    }
    c.failure_persistence = None;
    c
}

/// String literal contents: valid type strings, near misses, hostile text.
const STRINGS: &[&str] = &[
    "Host",
    "Account",
    "Attack Pattern",
    "IP",
    "Hots",
    "",
    " ",
    "123",
    "a\\nb",
    "\\u{202e}rtl",
    "\\0",
    "\\\"quoted\\\"",
    "crate::hr",
    "not a path",
    "}; compile_error!(\\\"x\\\"); {",
    "日本",
    "displayname",
    "r#type",
    "host",
];

/// Attribute keys: every key either derive knows, misspellings, other words.
const KEYS: &[&str] = &[
    "type",
    "score",
    "schema",
    "crate",
    "value",
    "field",
    "raw_json",
    "entity",
    "uses",
    "communicates_with",
    "sub_domain_of",
    "typ",
    "scroe",
    "vaule",
    "use",
    "r#type",
    "self",
    "a::b",
    "_",
    "r#uses",
];

/// Field names (the targets of `#[relationship(uses = ...)]` come from the same pool).
const FIELDS: &[&str] = &["host", "account", "remote", "value", "r#type", "id", "a"];

/// One item inside an attribute's parentheses.
fn attr_item() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        3 => prop::sample::select(STRINGS).prop_map(|s| format!("\"{s}\"")),
        2 => prop::sample::select(FIELDS).prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "0", "3", "4", "300", "-1", "1.5", "true", "crate::hr", "::relationship_core",
            "1 + 2", "[1]", "(a)", "b'x'", "'c'", "r\"raw\"", "Vec<u8>", "a::<b>", "|x| x",
        ])
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        4 => (prop::sample::select(KEYS), value.clone()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => (prop::sample::select(KEYS), value.clone()).prop_map(|(k, v)| format!("{k}({v})")),
        1 => value,
        1 => prop::sample::select(vec!["=", "= =", ",", "::", "#", "!", "?", "..", "=>", "@"])
            .prop_map(str::to_owned),
    ]
}

/// `#[name(...)]` with random items, or a bare or oddly delimited form.
fn attribute(name: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(attr_item(), 0..4)
            .prop_map(move |items| format!("#[{name}({})]", items.join(", "))),
        1 => Just(format!("#[{name}]")),
        1 => Just(format!("#[{name} = \"Host\"]")),
        1 => prop::collection::vec(attr_item(), 0..3)
            .prop_map(move |items| format!("#[{name}[{}]]", items.join(", "))),
        1 => Just(format!("#[{name}(value,,)]")),
    ]
}

/// Attributes for one position: a few of both derives' attributes.
fn attributes() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => attribute("indicator"),
            3 => attribute("relationship"),
            1 => Just("#[doc = \"d\"]".to_owned()),
        ],
        0..3,
    )
    .prop_map(|a| a.join(" "))
}

const TYPES: &[&str] = &[
    "String",
    "Option<Machine>",
    "u8",
    "Option<u8>",
    "Vec<String>",
    "T",
    "&'a str",
];

fn field(named: bool) -> impl Strategy<Value = String> {
    (
        attributes(),
        prop::sample::select(FIELDS),
        prop::sample::select(TYPES),
    )
        .prop_map(move |(attrs, name, ty)| {
            if named {
                format!("{attrs} {name}: {ty}")
            } else {
                format!("{attrs} {ty}")
            }
        })
}

/// A derive input: mostly random, sometimes well formed for one derive or the other, with
/// random attributes added now and then.
fn item() -> impl Strategy<Value = String> {
    let extra = prop_oneof![3 => Just(String::new()), 1 => attributes()];
    prop_oneof![
        6 => random_item(),
        1 => (good_indicator(), extra.clone()).prop_map(|(g, e)| format!("{e} {g}")),
        1 => (good_relationships(), extra).prop_map(|(g, e)| format!("{e} {g}")),
    ]
}

fn good_indicator() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["Host", "Account", "Attack Pattern", "IP", "CVE"]),
        prop::option::of(0u8..=3),
        any::<bool>(),
        prop::sample::select(vec!["", "<T>", "<'a>"]),
    )
        .prop_map(|(ty, score, mapped, generics)| {
            let score = score.map(|s| format!(", score = {s}")).unwrap_or_default();
            let mapped = if mapped {
                ", #[indicator(field = \"displayname\")] id: Option<String>"
            } else {
                ""
            };
            format!(
                "#[indicator(type = \"{ty}\"{score})] struct Machine{generics} {{ #[indicator(value)] host: String{mapped} }}"
            )
        })
}

fn good_relationships() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["uses", "communicates_with", "related_to", "sub_domain_of"]),
        any::<bool>(),
    )
        .prop_map(|(method, entity)| {
            let entity = if entity {
                "#[relationship(entity)] remote: Option<Address>, "
            } else {
                ""
            };
            format!(
                "struct Event {{ #[relationship({method} = host)] account: User, {entity}host: Machine }}"
            )
        })
}

/// A derive input: container attributes and a random item shape.
fn random_item() -> impl Strategy<Value = String> {
    let generics = prop::sample::select(vec![
        "",
        "<T>",
        "<'a>",
        "<'a, T: Clone>",
        "<T> where T: Copy",
        "<const N: usize>",
    ]);
    let body = prop_oneof![
        4 => prop::collection::vec(field(true), 0..4)
            .prop_map(|f| format!("struct {{{{name}}}}{{{{generics}}}} {{ {} }}", f.join(", "))),
        2 => prop::collection::vec(field(false), 0..3)
            .prop_map(|f| format!("struct {{{{name}}}}{{{{generics}}}}({});", f.join(", "))),
        1 => Just("struct {{name}}{{generics}};".to_owned()),
        1 => prop::collection::vec(field(true), 0..3)
            .prop_map(|f| format!("enum {{{{name}}}}{{{{generics}}}} {{ A {{ {} }}, B }}", f.join(", "))),
        1 => prop::collection::vec(field(true), 1..3)
            .prop_map(|f| format!("union {{{{name}}}}{{{{generics}}}} {{ {} }}", f.join(", "))),
    ];
    (
        attributes(),
        prop::sample::select(vec!["Machine", "r#Type", "E"]),
        generics,
        body,
    )
        .prop_map(|(attrs, name, generics, body)| {
            let body = body
                .replace("{{name}}", name)
                .replace("{{generics}}", generics);
            format!("{attrs} {body}")
        })
}

/// Expands `input` with `expand`, checking the properties; `Some(errors)` with the number
/// of `compile_error!`s, `None` for an input `syn` does not take.
fn check(
    src: &str,
    expand: fn(&syn::DeriveInput) -> TokenStream,
) -> Result<Option<usize>, TestCaseError> {
    let Ok(input) = syn::parse_str::<syn::DeriveInput>(src) else {
        return Ok(None);
    };
    let out = catch_unwind(AssertUnwindSafe(|| expand(&input)))
        .map_err(|_| TestCaseError::fail(format!("expansion panicked on {src}")))?;
    let file = syn::parse2::<syn::File>(out.clone())
        .map_err(|e| TestCaseError::fail(format!("{e}: output does not parse: {out}")))?;
    let mut errors = 0;
    // The items, and those of a `const _: () = { ... };` block (a derive given
    // `crate = path` wraps its output in one that imports the runtime).
    let mut macros: Vec<&syn::Macro> = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Macro(m) => macros.push(&m.mac),
            syn::Item::Const(c) => {
                if let syn::Expr::Block(b) = &*c.expr {
                    for stmt in &b.block.stmts {
                        match stmt {
                            syn::Stmt::Item(syn::Item::Macro(m)) => macros.push(&m.mac),
                            syn::Stmt::Macro(m) => macros.push(&m.mac),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for m in macros {
        {
            let last = m.path.segments.last().map(|s| s.ident.to_string());
            if last.as_deref() == Some("compile_error") {
                errors += 1;
                let msg: syn::LitStr = m
                    .parse_body()
                    .map_err(|e| TestCaseError::fail(format!("{e}: {}", m.tokens)))?;
                prop_assert!(!msg.value().trim().is_empty(), "empty error for {}", src);
            }
        }
    }
    // Errors come only as items; none hides inside an expression.
    prop_assert_eq!(compile_errors_in(out.clone()), errors, "{}", out);
    Ok(Some(errors))
}

/// How many `compile_error` identifiers a token stream holds, at any depth.
fn compile_errors_in(tokens: TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|t| match t {
            proc_macro2::TokenTree::Ident(i) if i == "compile_error" => 1,
            proc_macro2::TokenTree::Group(g) => compile_errors_in(g.stream()),
            _ => 0,
        })
        .sum()
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn indicator_derive_never_panics_and_emits_items(src in item()) {
        check(&src, crate::indicator::expand)?;
    }

    #[test]
    fn relationships_derive_never_panics_and_emits_items(src in item()) {
        check(&src, crate::relationships::expand)?;
    }
}

#[test]
fn a_fair_share_of_inputs_parses_and_some_expand_cleanly() {
    // syn must take most generated inputs, and both derives must accept some of them, or
    // the properties above test only the error paths.
    let mut runner = proptest::test_runner::TestRunner::new(config(512));
    let counts = std::cell::Cell::new([0u32; 5]);
    runner
        .run(&item(), |src| {
            let mut c = counts.get();
            c[0] += 1;
            if let Some(errors) = check(&src, crate::indicator::expand)? {
                c[1] += 1;
                c[2] += u32::from(errors == 0);
            }
            if let Some(errors) = check(&src, crate::relationships::expand)? {
                c[3] += u32::from(errors == 0);
                c[4] += u32::from(errors > 0);
            }
            counts.set(c);
            Ok(())
        })
        .unwrap();
    let [
        n,
        parsed,
        indicators_ok,
        relationships_ok,
        relationships_err,
    ] = counts.get();
    eprintln!(
        "{n} inputs, {parsed} parsed; without errors: {indicators_ok} Indicator, {relationships_ok} Relationships ({relationships_err} with errors)"
    );
    assert!(parsed * 2 >= n, "{parsed} of {n} parsed");
    assert!(
        indicators_ok > 0 && relationships_ok > 0,
        "{indicators_ok} {relationships_ok}"
    );
    assert!(relationships_err * 2 >= parsed, "{relationships_err}");
}

#[test]
fn known_good_inputs_expand_without_errors() {
    // The pools can produce these; they must expand cleanly.
    for (src, expand) in [
        (
            r#"#[indicator(type = "Host")] struct Machine { #[indicator(value)] host: String }"#,
            crate::indicator::expand as fn(&syn::DeriveInput) -> TokenStream,
        ),
        (
            r#"struct Machine { #[relationship(uses = host)] account: String, host: String }"#,
            crate::relationships::expand,
        ),
    ] {
        assert_eq!(check(src, expand).unwrap(), Some(0), "{src}");
    }
}
