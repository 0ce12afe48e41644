use super::*;

type Read = (BundleInfo, Vec<(usize, Value)>);

fn read(text: &str) -> Result<Read, ConvertError> {
    let mut seen = Vec::new();
    let info = read_bundle(text.as_bytes(), &mut |e| {
        seen.push((e.index, serde_json::from_str(&e.text).unwrap()));
        Ok(())
    })?;
    Ok((info, seen))
}

#[test]
fn objects_arrive_in_order_with_their_index() {
    let (info, seen) = read(
        r#"{"type":"bundle","id":"bundle--1","spec_version":"2.0","x":[1,{"a":2}],
                "objects":[{"type":"a"},5,{"type":"b"}]}"#,
    )
    .unwrap();
    assert_eq!(info.spec_version.as_deref(), Some("2.0"));
    assert_eq!(info.objects, 3);
    assert_eq!(seen.len(), 3);
    assert_eq!((seen[1].0, &seen[1].1), (1, &Value::from(5)));
    assert_eq!(seen[2].1["type"], "b");
}

#[test]
fn elements_know_where_they_start_and_end() {
    let text = "\u{feff}{\"objects\": [ 1,\n  {\"a\": \"x\"} ,\"s\"]}";
    let mut seen = Vec::new();
    let info = read_bundle(text.as_bytes(), &mut |e| {
        seen.push((e.text.to_string(), e.line, e.column, e.end));
        Ok(())
    })
    .unwrap();
    assert_eq!(info.bytes, text.len() as u64 - 3);
    assert_eq!(seen[0], ("1".to_owned(), 1, 15, 15));
    assert_eq!(seen[1], (r#"{"a": "x"}"#.to_owned(), 2, 3, 29));
    assert_eq!(seen[2], (r#""s""#.to_owned(), 2, 15, 34));
}

#[test]
fn scanned_elements_know_where_they_start_and_end() {
    let text =
        "{\"objects\": [{\"a\": 1},\r\n {\"b\": \"}\\\"\"} ,\n\n  {\"c\":\n[{}]},{\"d\":2}]}";
    let mut seen = Vec::new();
    let info = read_bundle(text.as_bytes(), &mut |e| {
        seen.push((e.text.to_string(), e.line, e.column, e.end));
        Ok(())
    })
    .unwrap();
    assert_eq!(info.bytes, text.len() as u64);
    assert_eq!(info.objects, 4);
    for (element, line, column, end) in &seen {
        let start = usize::try_from(*end).unwrap() - element.len();
        assert_eq!(&text[start..start + element.len()], element);
        let before = &text[..start];
        assert_eq!(*line, before.matches('\n').count() + 1);
        assert_eq!(*column, start - before.rfind('\n').map_or(0, |i| i + 1) + 1);
    }
    assert_eq!((seen[2].1, seen[2].2), (4, 3));
}

#[test]
fn errors_after_scanned_elements_are_placed_in_the_bundle() {
    let head = "{\"objects\":[{\"a\":1},\n {\"b\":[1,\n2]},\n {\"c\":3}";
    for tail in [
        ", {\"d\": tru}]}",
        ",\n {\"d\": \"\\q\"}]}",
        ", 5 x]}",
        ",\n]}",
        "]} trailing",
        "]\n,",
        ", {\"d\": [}]}",
        ", {\"d\": 1",
    ] {
        let text = format!("{head}{tail}");
        let expected = serde_json::from_str::<IgnoredAny>(&text).unwrap_err();
        let Err(ConvertError::Json { line, column, .. }) = read(&text) else {
            panic!("{text}");
        };
        assert_eq!(
            (line, column),
            (expected.line(), expected.column()),
            "{text}"
        );
    }
}

#[test]
fn missing_objects_is_an_empty_bundle() {
    let (info, seen) = read(r#"{"type":"bundle","id":"bundle--1"}"#).unwrap();
    assert_eq!(info.objects, 0);
    assert!(seen.is_empty());
}

#[test]
fn errors_say_where() {
    let e =
        read("{\"type\":\"bundle\",\"objects\":[{\"type\":\"a\"},\n{\"type\": tru}]}").unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("line 2") && msg.contains("objects[1]"),
        "{msg}"
    );
    let e = read("[1,2]").unwrap_err();
    assert!(e.to_string().contains("a STIX bundle"), "{e}");
    let e = read(r#"{"type":"indicator","objects":[]}"#).unwrap_err();
    assert!(matches!(e, ConvertError::NotABundle(_)), "{e}");
    let e = read(r#"{"objects":{}}"#).unwrap_err();
    assert!(e.to_string().contains("`objects` to be an array"), "{e}");
    let e = read(r#"{"objects":[]} trailing"#).unwrap_err();
    assert!(e.to_string().contains("trailing"), "{e}");
    let e = read(r#"{"objects":[{"a":1}"#).unwrap_err();
    assert!(
        e.to_string().contains("objects[1]") && e.to_string().contains("EOF"),
        "{e}"
    );
}

#[test]
fn an_element_past_its_limit_is_measured_not_kept() {
    let big = "a".repeat(MAX_STIX_OBJECT_BYTES);
    let text = format!("{{\"objects\":[1,\n {{\"d\":\"{big}\", \"x\": [1]}}, 2]}}");
    let e = read(&text).unwrap_err().to_string();
    let len = big.len() + r#"{"d":"", "x": [1]}"#.len();
    assert!(
        e.contains(&format!("objects[1] (line 2) is {len} bytes")),
        "{e}"
    );
    let text = format!("{{\"type\":\"{big}\",\"objects\":[]}}");
    let e = read(&text).unwrap_err().to_string();
    let len = big.len() + 2;
    assert!(
        e.contains(&format!("(in $): a top-level value is {len} bytes")),
        "{e}"
    );
}

#[test]
fn abort_stops_reading() {
    let mut n = 0;
    let info = read_bundle(r#"{"objects":[1,2,3]}"#.as_bytes(), &mut |_| {
        n += 1;
        Err(ConvertError::Read(io::Error::other("stop")))
    });
    assert!(matches!(info, Err(ConvertError::Read(_))));
    assert_eq!(n, 1);
}
