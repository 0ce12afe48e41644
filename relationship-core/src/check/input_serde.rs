//! `Serialize` and `Deserialize` for [`RelationshipInput`], written out so that the runtime
//! depends on `serde_core` alone and a user's build compiles it beside `serde_derive`
//! rather than after it. They behave as `#[derive]` with `#[serde(deny_unknown_fields)]`,
//! `default` on the optional keys and `skip_serializing_if = "Option::is_none"` would: the
//! same keys in the same order, the same messages for a missing, repeated or unknown key.

use std::fmt;

use serde_core::de::{
    self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde_core::ser::{Serialize, SerializeStruct, Serializer};

use super::RelationshipInput;
use crate::relationship::Fields;

/// The impls, from the required string keys and then the optional keys with their value
/// types, in declaration order.
macro_rules! input_serde {
    ($($req:ident),+; $($opt:ident: $ty:ty),+) => {
        /// The keys, in declaration (and serialization) order.
        const KEYS: &[&str] = &[$(stringify!($req),)+ $(stringify!($opt)),+];

        impl Serialize for RelationshipInput {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let present = [$(self.$opt.is_some()),+].into_iter().filter(|&p| p).count();
                let len = [$(stringify!($req)),+].len() + present;
                let mut s = serializer.serialize_struct("RelationshipInput", len)?;
                $(s.serialize_field(stringify!($req), &self.$req)?;)+
                $(match &self.$opt {
                    Some(value) => s.serialize_field(stringify!($opt), value)?,
                    None => s.skip_field(stringify!($opt))?,
                })+
                s.end()
            }
        }

        impl<'de> Visitor<'de> for InputVisitor {
            type Value = RelationshipInput;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("struct RelationshipInput")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                $(let mut $req: Option<String> = None;)+
                $(let mut $opt: Option<Option<$ty>> = None;)+
                while let Some(i) = map.next_key_seed(KeyIndex(KEYS))? {
                    let key = KEYS[i];
                    $(if key == stringify!($req) {
                        read_once(&mut $req, key, &mut map)?;
                    })+
                    $(if key == stringify!($opt) {
                        read_once(&mut $opt, key, &mut map)?;
                    })+
                }
                Ok(RelationshipInput {
                    $($req: $req.ok_or_else(|| de::Error::missing_field(stringify!($req)))?,)+
                    $($opt: $opt.flatten(),)+
                })
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut read = 0;
                Ok(RelationshipInput {
                    $($req: next_required(&mut seq, &mut read)?,)+
                    $($opt: seq.next_element::<Option<$ty>>()?.flatten(),)+
                })
            }
        }
    };
}

input_serde! {
    name, entity_a, entity_a_type, entity_b, entity_b_type;
    reverse_name: String,
    fields: Fields,
    source_reliability: String,
    brand: String,
    relationship_type: String,
    entity_a_family: String,
    entity_b_family: String
}

/// Reads the value of `key` into `slot`; a key given twice is an error, raised before its
/// second value is read (where serde's derive raises it).
fn read_once<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    key: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The next required element of a sequence, the `read`-th.
fn next_required<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    read: &mut usize,
) -> Result<String, A::Error> {
    const LENGTH: &str = "struct RelationshipInput with 12 elements";
    let value = seq.next_element()?;
    let value = value.ok_or_else(|| de::Error::invalid_length(*read, &LENGTH))?;
    *read += 1;
    Ok(value)
}

/// Reads a map key as its index in a list of known keys; any other key is serde's
/// `unknown field` error, which lists them.
pub(crate) struct KeyIndex(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyIndex {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeyIndex {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        let known = self.0.iter().position(|k| *k == key);
        known.ok_or_else(|| E::unknown_field(key, self.0))
    }
}

impl<'de> Deserialize<'de> for RelationshipInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RelationshipInput", KEYS, InputVisitor)
    }
}

struct InputVisitor;

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
