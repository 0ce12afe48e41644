//! XSOAR's `DBotScoreReliability` strings.
//!
//! XSOAR accepts exactly seven source reliability strings (case-sensitive, with a hyphen
//! surrounded by single spaces). [`Reliability`] is that set as an enum; parsing anything
//! else, including a case variant or the colon-style strings of old XSOAR versions, is an
//! [`InvalidReliability`] error that lists the valid strings and suggests the nearest one.

use std::fmt;
use std::str::FromStr;

use relationship_schema::suggest;

use crate::limits::{backticked, hint};
use serde_core::{Deserialize, Deserializer, Serialize, Serializer};

/// The enum, [`Reliability::ALL`] and [`Reliability::as_str`] from each variant's string.
macro_rules! reliabilities {
    ($($variant:ident => $text:literal,)+) => {
        /// One of XSOAR's seven source reliability values.
        ///
        /// ```
        /// use relationship_core::Reliability;
        ///
        /// let r: Reliability = "B - Usually reliable".parse().unwrap();
        /// assert_eq!(r, Reliability::B);
        /// assert_eq!(r.to_string(), "B - Usually reliable");
        /// assert!("b - usually reliable".parse::<Reliability>().is_err());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Reliability {
            $(#[doc = concat!("`", $text, "`")] $variant,)+
        }

        impl Reliability {
            /// All seven values, in XSOAR's order (`A+` first, `F` last).
            pub const ALL: [Reliability; 7] = [$(Reliability::$variant),+];

            /// XSOAR's exact string for this value, e.g. `B - Usually reliable`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Reliability::$variant => $text,)+
                }
            }
        }
    };
}

reliabilities! {
    APlus => "A+ - 3rd party enrichment",
    A => "A - Completely reliable",
    B => "B - Usually reliable",
    C => "C - Fairly reliable",
    D => "D - Not usually reliable",
    E => "E - Unreliable",
    F => "F - Reliability cannot be judged",
}

impl Reliability {
    /// Parses one of XSOAR's seven exact strings (case-sensitive, no trimming).
    pub fn parse(s: &str) -> Result<Reliability, InvalidReliability> {
        Reliability::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| InvalidReliability::new(s))
    }
}

impl fmt::Display for Reliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Reliability {
    type Err = InvalidReliability;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reliability::parse(s)
    }
}

impl Serialize for Reliability {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Reliability {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde_core::de::Visitor<'_> for Visitor {
            type Value = Reliability;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one of XSOAR's seven source reliability strings")
            }
            fn visit_str<E: serde_core::de::Error>(self, v: &str) -> Result<Reliability, E> {
                Reliability::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A string that is not one of XSOAR's seven source reliability values.
///
/// Its message quotes the offending value, suggests the nearest valid strings and lists all
/// seven, e.g.
/// ``invalid source reliability `b - usually reliable`; did you mean `B - Usually reliable`? ``
/// ``valid values: `A+ - 3rd party enrichment`, …``.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidReliability {
    /// The rejected string, verbatim.
    pub value: String,
    /// Up to three valid strings closest to `value`, best first.
    pub suggestions: Vec<&'static str>,
}

impl fmt::Display for InvalidReliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid source reliability `{}`{}; valid values: {}",
            crate::limits::quoted(&self.value),
            hint(&self.suggestions),
            backticked(&Reliability::ALL.map(Reliability::as_str))
        )
    }
}

impl std::error::Error for InvalidReliability {}

impl InvalidReliability {
    /// Builds the error for `value`, computing the suggestions.
    pub fn new(value: &str) -> Self {
        InvalidReliability {
            value: value.to_owned(),
            suggestions: suggest::nearest(value, Reliability::ALL.map(Reliability::as_str)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_round_trip_through_their_strings() {
        for r in Reliability::ALL {
            assert_eq!(Reliability::parse(r.as_str()), Ok(r));
            assert_eq!(r.to_string(), r.as_str());
        }
        let strings: Vec<&str> = Reliability::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(
            strings,
            [
                "A+ - 3rd party enrichment",
                "A - Completely reliable",
                "B - Usually reliable",
                "C - Fairly reliable",
                "D - Not usually reliable",
                "E - Unreliable",
                "F - Reliability cannot be judged",
            ]
        );
    }

    #[test]
    fn case_variants_and_old_styles_are_rejected_with_a_suggestion() {
        let err = Reliability::parse("b - usually reliable").unwrap_err();
        assert_eq!(err.suggestions, vec!["B - Usually reliable"]);
        let msg = err.to_string();
        assert!(
            msg.starts_with(
                "invalid source reliability `b - usually reliable`; did you mean `B - Usually reliable`?; valid values: `A+ - 3rd party enrichment`, "
            ),
            "{msg}"
        );
        assert!(msg.ends_with("`F - Reliability cannot be judged`"), "{msg}");
        for bad in [
            "",
            "A: Completely reliable",
            " A - Completely reliable",
            "A++ - Reputation script",
            "A",
        ] {
            assert!(Reliability::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn unrelated_value_gets_no_suggestion() {
        let msg = Reliability::parse("zzz").unwrap_err().to_string();
        assert!(
            msg.starts_with("invalid source reliability `zzz`; valid values: "),
            "{msg}"
        );
    }

    #[test]
    fn serde_uses_the_exact_string() {
        let json = serde_json::to_string(&Reliability::APlus).unwrap();
        assert_eq!(json, "\"A+ - 3rd party enrichment\"");
        let back: Reliability = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Reliability::APlus);
        let err = serde_json::from_str::<Reliability>("\"E - unreliable\"").unwrap_err();
        assert!(
            err.to_string().contains("did you mean `E - Unreliable`?"),
            "{err}"
        );
        assert!(serde_json::from_str::<Reliability>("3").is_err());
    }
}
