//! XSOAR's `DBotScoreReliability` strings.

/// One of XSOAR's seven source reliability values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reliability {
    /// `A+ - 3rd party enrichment`
    APlus,
    /// `A - Completely reliable`
    A,
    /// `B - Usually reliable`
    B,
    /// `C - Fairly reliable`
    C,
    /// `D - Not usually reliable`
    D,
    /// `E - Unreliable`
    E,
    /// `F - Reliability cannot be judged`
    F,
}
