//! JSON output in two styles: compact, or byte-identical to Python's `json.dumps` defaults.
//!
//! XSOAR's Python side writes `createIndicators` payloads with `json.dumps`/`json.dump` and
//! default arguments: `", "` between items, `": "` after keys, `ensure_ascii=True`, floats
//! as `repr(float)`. [`JsonStyle::Python`] reproduces those bytes so that output can be
//! diffed against an existing Python integration; [`JsonStyle::Compact`] is serde_json's
//! compact form (no spaces, UTF-8 left unescaped).
//!
//! ```
//! use relationship_core::json::{self, JsonStyle};
//!
//! let v = serde_json::json!({"a": ["é", 1e16, 0.5, null]});
//! assert_eq!(json::to_string(&v, JsonStyle::Compact).unwrap(), r#"{"a":["é",1e+16,0.5,null]}"#);
//! assert_eq!(json::to_string(&v, JsonStyle::Python).unwrap(), r#"{"a": ["\u00e9", 1e+16, 0.5, null]}"#);
//! ```
//!
//! All rendering of the crate lives here, one writer per JSON shape:
//!
//! * `number` (Python's spelling of numbers) and `text` (the style and its separators, the
//!   one string escaper, JSON text and objects rewritten in a style) at the bottom, used by
//!   [`crate::limits`]' token scanner and by [`crate::fields`], which writes its own types
//!   with them;
//! * `formatter`: the serde path, [`write_json`] and the Python formatter;
//! * `relationship` and `indicator`: the shapes, each with its serde view and its direct
//!   writer, used by the library's `write_json` methods and by [`crate::batch`] alike.

mod formatter;
pub(crate) mod indicator;
pub(crate) mod number;
pub(crate) mod relationship;
pub(crate) mod text;

pub use formatter::{to_string, to_vec, write_json};
pub use text::JsonStyle;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_core::Serialize;
    use serde_json::json;
    use std::io;

    fn py<T: Serialize + ?Sized>(v: &T) -> String {
        to_string(v, JsonStyle::Python).unwrap()
    }

    #[test]
    fn separators_and_nesting() {
        let v = json!({"a": [1, 2, {}], "b": {"c": [], "d": null}, "e": true});
        assert_eq!(
            py(&v),
            r#"{"a": [1, 2, {}], "b": {"c": [], "d": null}, "e": true}"#
        );
        assert_eq!(
            to_string(&v, JsonStyle::Compact).unwrap(),
            r#"{"a":[1,2,{}],"b":{"c":[],"d":null},"e":true}"#
        );
    }

    #[test]
    fn string_escapes_match_python() {
        let s = "q\"b\\s/\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}\u{80}é\u{2028}\u{ffff}😀𝄞 ~";
        assert_eq!(
            py(s),
            r#""q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f\u0080\u00e9\u2028\uffff\ud83d\ude00\ud834\udd1e ~""#
        );
        // keys are escaped the same way
        assert_eq!(py(&json!({"ü": 1})), r#"{"\u00fc": 1}"#);
    }

    #[test]
    fn f32_widens_like_python() {
        assert_eq!(py(&1.1f32), "1.100000023841858");
        assert_eq!(py(&[0.5f32]), "[0.5]");
    }

    #[test]
    fn integers_are_plain() {
        assert_eq!(
            py(&json!([0, -1, u64::MAX, i64::MIN])),
            "[0, -1, 18446744073709551615, -9223372036854775808]"
        );
    }

    /// Parses `text` as JSON and writes it back in Python style.
    fn py_text(text: &str) -> String {
        py(&crate::fields::RawJson::parse(text).unwrap())
    }

    #[test]
    fn integers_of_any_length_stay_exact() {
        // What CPython 3.11 prints for json.dumps(json.loads(text)).
        let big = "123456789012345678901234567890";
        assert_eq!(py_text(big), big);
        assert_eq!(py_text(&format!("-{big}")), format!("-{big}"));
        assert_eq!(
            py_text("[18446744073709551616, -9223372036854775809]"),
            "[18446744073709551616, -9223372036854775809]"
        );
        let long = "9".repeat(400);
        assert_eq!(py_text(&long), long);
        // Compact keeps them too.
        let v = crate::fields::RawJson::parse(&format!(r#"{{"n": {big}}}"#)).unwrap();
        assert_eq!(
            to_string(&v, JsonStyle::Compact).unwrap(),
            format!(r#"{{"n":{big}}}"#)
        );
        assert_eq!(py(&v), format!(r#"{{"n": {big}}}"#));
    }

    #[test]
    fn negative_zero_integer_is_zero_but_negative_zero_float_stays() {
        assert_eq!(py_text("-0"), "0");
        assert_eq!(
            py_text("[0, -0, -0.0, -0e5, -1e-400]"),
            "[0, 0, -0.0, -0.0, -0.0]"
        );
        // Compact writes serde_json's text of the literal.
        let v = crate::fields::RawJson::parse("[-0, -0.0]").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "[-0,-0.0]");
    }

    #[test]
    fn float_literals_are_written_as_python_repr_of_the_double() {
        // Expected values are what CPython 3.11 prints for json.dumps(json.loads(text)).
        let cases: &[(&str, &str)] = &[
            ("1.0E2", "100.0"),
            ("1E2", "100.0"),
            ("1E+2", "100.0"),
            ("1e16", "1e+16"),
            ("1.5E16", "1.5e+16"),
            ("10000000000000000.0", "1e+16"),
            ("1E-5", "1e-05"),
            ("0e0", "0.0"),
            ("1e-400", "0.0"),
            ("2.50", "2.5"),
            ("9007199254740993.0", "9007199254740992.0"),
            ("0.1000000000000000055511151231257827", "0.1"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ];
        for &(text, want) in cases {
            assert_eq!(py_text(text), want, "{text}");
        }
        // The compact style writes serde_json's spelling of the literal, not Python's.
        let v = crate::fields::RawJson::parse("[1.0E2, 2.50]").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "[1.0e+2,2.50]");
    }

    #[test]
    fn float_literals_beyond_the_double_range_are_infinity_as_in_python() {
        assert_eq!(py_text("1e400"), "Infinity");
        assert_eq!(
            py_text(r#"{"a": [-1.5e999, 1E+400]}"#),
            r#"{"a": [-Infinity, Infinity]}"#
        );
        // Compact stays valid JSON.
        let v = crate::fields::RawJson::parse("1e400").unwrap();
        assert_eq!(to_string(&v, JsonStyle::Compact).unwrap(), "1e+400");
    }

    #[test]
    fn write_raw_refuses_broken_text_without_panicking() {
        for text in ["\"abc\\", "\"abc", "\"\\"] {
            let err = text::write_raw(&mut Vec::new(), text, JsonStyle::Python).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{text}");
        }
    }

    #[test]
    fn write_raw_rewrites_text_in_a_style() {
        let mut out = Vec::new();
        text::write_raw(
            &mut out,
            r#"{"a": [1E2, "é", -0, 12345678901234567890123]}"#,
            JsonStyle::Python,
        )
        .unwrap();
        assert_eq!(
            out,
            r#"{"a": [100.0, "\u00e9", 0, 12345678901234567890123]}"#.as_bytes()
        );
    }

    #[test]
    fn write_json_streams_to_a_writer() {
        let mut out = Vec::new();
        write_json(&mut out, &json!(["ä"]), JsonStyle::Python).unwrap();
        write_json(&mut out, &json!(["ä"]), JsonStyle::Compact).unwrap();
        assert_eq!(out, "[\"\\u00e4\"][\"ä\"]".as_bytes());
    }

    #[test]
    fn serialize_errors_surface_as_errors() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(vec![1u8], 1);
        assert!(to_string(&m, JsonStyle::Python).is_err());
        let err = write_json(&mut Vec::new(), &m, JsonStyle::Compact).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    mod fast {
        use super::super::text::write_raw;
        use super::super::*;
        use crate::fields::RawFields;
        use crate::fields::write_raw_fields;
        use crate::relationship::EntityRelationship;
        use proptest::prelude::*;
        use serde_json::Value;
        use std::io;

        fn both(v: &Value) {
            let text = serde_json::to_string(v).unwrap();
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                let mut fast = Vec::new();
                write_raw(&mut fast, &text, style).unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    to_string(v, style).unwrap(),
                    "{style:?}"
                );
            }
        }

        #[test]
        fn every_code_point_class_escapes_as_serde_does() {
            let mut all = String::new();
            for c in (0u32..0x800).chain([0xFFFF, 0x10000, 0x1F600, 0x10FFFF]) {
                if let Some(ch) = char::from_u32(c) {
                    all.push(ch);
                }
            }
            both(&Value::String(all.clone()));
            for ch in all.chars() {
                both(&Value::String(format!("abcdefg{ch}hijklmnopq")));
            }
        }

        #[test]
        fn nested_values_and_numbers() {
            let v: Value = serde_json::from_str(
                r#"{"a": [1, -0, 1.5e3, 12345678901234567890123, true, false, null, {}],
                    "b\n": {"c": [], "d": "\u00e9\"\\/"}, "": ""}"#,
            )
            .unwrap();
            both(&v);
        }

        fn text() -> impl Strategy<Value = String> {
            prop::collection::vec(
                prop_oneof![
                    Just('a'),
                    Just('"'),
                    Just('\\'),
                    Just('\u{7f}'),
                    Just('\u{1f}'),
                    Just('é'),
                    Just('😀'),
                    any::<char>(),
                ],
                0..40,
            )
            .prop_map(|cs| cs.into_iter().collect())
        }

        fn raw_matches_map(text: &str) {
            let raw: RawFields<'_> = serde_json::from_str(text).unwrap();
            let map = crate::fields::RawJson::parse(text).unwrap();
            for style in [JsonStyle::Compact, JsonStyle::Python] {
                let mut fast = Vec::new();
                write_raw_fields(&mut fast, &raw, style).unwrap();
                assert_eq!(
                    String::from_utf8(fast).unwrap(),
                    to_string(&map, style).unwrap(),
                    "{text} {style:?}"
                );
            }
        }

        #[test]
        fn raw_fields_are_written_as_the_map_would_be() {
            for text in [
                r#"{}"#,
                r#"{ "a" : "b" , "c":"d" }"#,
                r#"{"d":"caf\u00e9 \"q\" \\ \/ \n \ud83d\ude00","n":1.0E2,"m":-0,"t":true,"f":false,"z":null}"#,
                r#"{"k\u00e9y":"é😀\u007f","big":123456789012345678901234567890,"e":1e400}"#,
                r#"{"a":"1","b":"2","a":"3"}"#,
            ] {
                raw_matches_map(text);
            }
        }

        #[test]
        fn raw_fields_refuse_what_they_do_not_write() {
            for text in [
                r#"{"a":{"b":1}}"#,
                r#"{"a":[1]}"#,
                r#"{"a":"\ud800"}"#,
                r#"[1]"#,
            ] {
                // Not an object: not read as one.
                let Ok(raw) = serde_json::from_str::<RawFields<'_>>(text) else {
                    assert!(text.starts_with('['), "{text}");
                    continue;
                };
                let err = write_raw_fields(&mut Vec::new(), &raw, JsonStyle::Python).unwrap_err();
                assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{text}");
            }
        }

        proptest! {
            #[test]
            fn strings_match_serde(s in text()) {
                both(&Value::String(s));
            }

            #[test]
            fn raw_fields_match_serde(k in text(), v in text(), w in text()) {
                let obj = serde_json::json!({"d": v, "k": k, "w": w});
                let text = serde_json::to_string(&obj).unwrap();
                raw_matches_map(&text);
                // Python's spelling of the same object (escaped non-ASCII) reads the same.
                raw_matches_map(&to_string(&obj, JsonStyle::Python).unwrap());
            }

            #[test]
            fn relationships_match_serde(a in text(), b in text(), k in text(), v in text()) {
                let mut fields = crate::relationship::Fields::new();
                fields.insert(k, Value::String(v));
                fields.insert("n", serde_json::json!([1, 2.5, {"x": null}]));
                let rel = EntityRelationship::new("uses", "used-by", a, "Account", b, "Host")
                    .with_fields(fields);
                for style in [JsonStyle::Compact, JsonStyle::Python] {
                    let mut fast = Vec::new();
                    rel.to_indicator().write_json(&mut fast, style).unwrap();
                    prop_assert_eq!(
                        String::from_utf8(fast).unwrap(),
                        to_string(&rel.to_indicator(), style).unwrap()
                    );
                }
            }
        }
    }
}
