//! `Serialize` and `Deserialize` for [`RelationshipInput`], written out so that the runtime
//! depends on `serde_core` alone and a user's build compiles it beside `serde_derive`
//! rather than after it. They behave as `#[derive]` with `#[serde(deny_unknown_fields)]`,
//! `default` on the optional keys and `skip_serializing_if = "Option::is_none"` would: the
//! same keys in the same order, the same messages for a missing, repeated or unknown key.

use std::fmt;

use serde_core::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use super::RelationshipInput;
use crate::relationship::Fields;

/// The keys, in declaration (and serialization) order.
const KEYS: &[&str] = &[
    "name",
    "entity_a",
    "entity_a_type",
    "entity_b",
    "entity_b_type",
    "reverse_name",
    "fields",
    "source_reliability",
    "brand",
    "relationship_type",
    "entity_a_family",
    "entity_b_family",
];

/// The five keys every input must have.
const REQUIRED: usize = 5;

const EXPECTING: &str = "struct RelationshipInput";

impl Serialize for RelationshipInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let optional = self.optional_strings();
        let present =
            optional.iter().filter(|v| v.is_some()).count() + usize::from(self.fields.is_some());
        let mut s = serializer.serialize_struct("RelationshipInput", REQUIRED + present)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("entity_a", &self.entity_a)?;
        s.serialize_field("entity_a_type", &self.entity_a_type)?;
        s.serialize_field("entity_b", &self.entity_b)?;
        s.serialize_field("entity_b_type", &self.entity_b_type)?;
        optional_field(&mut s, "reverse_name", &self.reverse_name)?;
        optional_field(&mut s, "fields", &self.fields)?;
        for (key, value) in KEYS[REQUIRED + 2..].iter().zip(&optional[1..]) {
            optional_field(&mut s, key, value)?;
        }
        s.end()
    }
}

impl RelationshipInput {
    /// The optional string keys in declaration order (`reverse_name` first; `fields` is not
    /// a string and is left out).
    fn optional_strings(&self) -> [&Option<String>; 6] {
        [
            &self.reverse_name,
            &self.source_reliability,
            &self.brand,
            &self.relationship_type,
            &self.entity_a_family,
            &self.entity_b_family,
        ]
    }
}

fn optional_field<S: SerializeStruct, T: Serialize>(
    s: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(v) => s.serialize_field(key, v),
        None => s.skip_field(key),
    }
}

/// A key of the input, by its index in [`KEYS`].
struct Key(usize);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                KEYS.iter()
                    .position(|k| *k == key)
                    .map(Key)
                    .ok_or_else(|| E::unknown_field(key, KEYS))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for RelationshipInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RelationshipInput", KEYS, InputVisitor)
    }
}

struct InputVisitor;

/// The values read so far, by key.
#[derive(Default)]
struct Slots {
    required: [Option<String>; REQUIRED],
    fields: Option<Option<Fields>>,
    optional: [Option<Option<String>>; 6],
}

impl Slots {
    /// Reads the value of key `index` from `map`; a key given twice is an error, raised
    /// before its second value is read (where serde's derive raises it).
    fn read<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {
        let seen = match index {
            i if i < REQUIRED => self.required[i].is_some(),
            5 => self.optional[0].is_some(),
            6 => self.fields.is_some(),
            i => self.optional[i - REQUIRED - 1].is_some(),
        };
        if seen {
            return Err(de::Error::duplicate_field(KEYS[index]));
        }
        match index {
            i if i < REQUIRED => self.required[i] = Some(map.next_value()?),
            5 => self.optional[0] = Some(map.next_value()?),
            6 => self.fields = Some(map.next_value()?),
            i => self.optional[i - REQUIRED - 1] = Some(map.next_value()?),
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<RelationshipInput, E> {
        let [name, entity_a, entity_a_type, entity_b, entity_b_type] = self.required;
        let required = |v: Option<String>, i: usize| v.ok_or_else(|| E::missing_field(KEYS[i]));
        let [
            reverse_name,
            source_reliability,
            brand,
            relationship_type,
            a_family,
            b_family,
        ] = self.optional.map(Option::flatten);
        Ok(RelationshipInput {
            name: required(name, 0)?,
            entity_a: required(entity_a, 1)?,
            entity_a_type: required(entity_a_type, 2)?,
            entity_b: required(entity_b, 3)?,
            entity_b_type: required(entity_b_type, 4)?,
            reverse_name,
            fields: self.fields.flatten(),
            source_reliability,
            brand,
            relationship_type,
            entity_a_family: a_family,
            entity_b_family: b_family,
        })
    }
}

impl<'de> Visitor<'de> for InputVisitor {
    type Value = RelationshipInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RelationshipInput, A::Error> {
        let mut slots = Slots::default();
        while let Some(Key(index)) = map.next_key()? {
            slots.read(index, &mut map)?;
        }
        slots.finish()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RelationshipInput, A::Error> {
        const LENGTH: &str = "struct RelationshipInput with 12 elements";
        let mut slots = Slots::default();
        for (i, slot) in slots.required.iter_mut().enumerate() {
            *slot = Some(
                seq.next_element()?
                    .ok_or_else(|| de::Error::invalid_length(i, &LENGTH))?,
            );
        }
        slots.optional[0] = Some(seq.next_element()?.flatten());
        slots.fields = Some(seq.next_element()?.flatten());
        for slot in &mut slots.optional[1..] {
            *slot = Some(seq.next_element()?.flatten());
        }
        slots.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RelationshipInput {
        RelationshipInput {
            name: "uses".into(),
            entity_a: "u1".into(),
            entity_a_type: "Account".into(),
            entity_b: "pc1".into(),
            entity_b_type: "Host".into(),
            ..RelationshipInput::default()
        }
    }

    #[test]
    fn keys_in_declaration_order_absent_ones_skipped() {
        let mut i = input();
        assert_eq!(
            serde_json::to_string(&i).unwrap(),
            r#"{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"pc1","entity_b_type":"Host"}"#
        );
        i.brand = Some("b".into());
        i.reverse_name = Some("used-by".into());
        i.fields = Some(serde_json::from_str(r#"{"k":1}"#).unwrap());
        i.entity_b_family = Some("Indicator".into());
        let text = serde_json::to_string(&i).unwrap();
        assert_eq!(
            text,
            r#"{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"pc1","entity_b_type":"Host","reverse_name":"used-by","fields":{"k":1},"brand":"b","entity_b_family":"Indicator"}"#
        );
        assert_eq!(serde_json::from_str::<RelationshipInput>(&text).unwrap(), i);
    }

    #[test]
    fn null_means_absent() {
        let got: RelationshipInput = serde_json::from_str(
            r#"{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"pc1","entity_b_type":"Host","brand":null,"fields":null}"#,
        )
        .unwrap();
        assert_eq!(got, input());
    }

    #[test]
    fn missing_repeated_and_unknown_keys_are_named() {
        let err = |text: &str| {
            serde_json::from_str::<RelationshipInput>(text)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(r#"{"name":"uses"}"#),
            "missing field `entity_a` at line 1 column 15"
        );
        assert_eq!(
            err(r#"{"name":"uses","name":"x"}"#),
            "duplicate field `name` at line 1 column 21"
        );
        assert!(err(r#"{"nme":"uses"}"#).starts_with(
            "unknown field `nme`, expected one of `name`, `entity_a`, `entity_a_type`"
        ));
        assert_eq!(
            err("3"),
            "invalid type: integer `3`, expected struct RelationshipInput at line 1 column 1"
        );
    }

    #[test]
    fn a_sequence_reads_the_keys_in_order() {
        let got: RelationshipInput =
            serde_json::from_str(r#"["uses","u1","Account","pc1","Host"]"#).unwrap();
        assert_eq!(got, input());
        let err = serde_json::from_str::<RelationshipInput>(r#"["uses"]"#).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "invalid length 1, expected struct RelationshipInput with 12 elements"
            )
        );
    }

    /// What `#[derive]` makes of the same struct (same name: it is in the messages).
    mod derived {
        use crate::relationship::Fields;

        #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct RelationshipInput {
            pub name: String,
            pub entity_a: String,
            pub entity_a_type: String,
            pub entity_b: String,
            pub entity_b_type: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub reverse_name: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub fields: Option<Fields>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub source_reliability: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub brand: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub relationship_type: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub entity_a_family: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub entity_b_family: Option<String>,
        }
    }

    #[test]
    fn reads_and_writes_as_the_derive_does() {
        let base = r#""name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"pc1","entity_b_type":"Host""#;
        let cases = [
            format!("{{{base}}}"),
            format!(
                r#"{{{base},"fields":{{"b":[1,2.50],"a":null}},"brand":"x","source_reliability":"A - Completely reliable"}}"#
            ),
            format!(
                r#"{{{base},"reverse_name":null,"relationship_type":"IndicatorToIndicator","entity_a_family":"Indicator","entity_b_family":""}}"#
            ),
            format!(r#"{{{base},"brand":1}}"#),
            format!(r#"{{{base},"fields":[]}}"#),
            format!(r#"{{{base},"entity_b":"again"}}"#),
            format!(r#"{{{base},"Name":"x"}}"#),
            format!(r#"{{{base},"brand":"a","brand":"b"}}"#),
            r#"{"entity_a":"u1"}"#.to_owned(),
            r#"{"name":null,"entity_a":"u1"}"#.to_owned(),
            r#"{"name":"uses","entity_a":"u1","entity_a_type":"Account","entity_b":"pc1"}"#
                .to_owned(),
            "{}".to_owned(),
            "[]".to_owned(),
            r#"["uses","u1","Account","pc1","Host"]"#.to_owned(),
            r#"["uses","u1","Account","pc1","Host",null,{"k":1},"r","b"]"#.to_owned(),
            r#"["uses","u1","Account","pc1","Host",null,null,null,null,null,null,null,null]"#
                .to_owned(),
            r#"["uses","u1"]"#.to_owned(),
            "null".to_owned(),
            r#""uses""#.to_owned(),
            "{".to_owned(),
        ];
        for text in &cases {
            let ours = serde_json::from_str::<RelationshipInput>(text);
            let theirs = serde_json::from_str::<derived::RelationshipInput>(text);
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => assert_eq!(
                    serde_json::to_string(&ours).unwrap(),
                    serde_json::to_string(&theirs).unwrap(),
                    "{text}"
                ),
                (Err(ours), Err(theirs)) => {
                    assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
                }
                (ours, theirs) => panic!("{text}: ours {ours:?}, derive {theirs:?}"),
            }
        }
    }
}
