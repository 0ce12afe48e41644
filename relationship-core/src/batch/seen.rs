//! The set of 128-bit hashes [`BatchWriter`](super::BatchWriter) de-duplicates with.
//!
//! A hash table keeps a slack of empty slots (std's `HashSet<u128>` at most 7/8 full, so 17
//! bytes per slot come to 19.4 to 39 bytes per hash) and, while it doubles, holds the old and
//! the new table at once. Here the hashes are kept in many small shards instead, shard `i`
//! holding the hashes whose top `bits` bits are `i`: a sorted run followed by fewer than
//! [`TAIL`] unsorted hashes, which are merged into the run when there are `TAIL` of them. A
//! shard's `Vec` grows by a sixteenth of its length, at least `TAIL` hashes, at a time, and
//! when the shards hold [`SPLIT_AT`] hashes each on average, every one is split in two by the
//! next bit (a cut of a sorted run: no rehashing), one shard at a time. So at peak there are
//! 16 bytes per hash, plus unused capacity (at most a sixteenth of a shard, or `TAIL`
//! hashes), plus a `Vec` per 64 to 128 hashes (measured: about 19.5 bytes per hash with the allocator's overhead, where
//! `HashSet<u128>` peaks at 43 to 54).
//!
//! A lookup costs a few more cache misses than in a hash table (the shard, the tail, the
//! search in the run, which starts where the hash's bits below the prefix say it would sit).

use std::fmt;

/// Average number of hashes per shard at which every shard is split in two.
const SPLIT_AT: usize = 128;

/// Hashes a shard holds unsorted, after its sorted run, before they are merged into it.
const TAIL: usize = 8;

/// A sorted run of hashes followed by at most `TAIL - 1` unsorted ones, none repeated.
#[derive(Default)]
struct Shard {
    hashes: Vec<u128>,
    sorted: usize,
}

impl Shard {
    /// Whether `hash` is in the shard, whose hashes share their top `bits` bits.
    ///
    /// The hashes are uniform, so the bits below the shared prefix say about where `hash`
    /// would sit in the run: the search starts there and widens exponentially, which touches
    /// a cache line or two where a binary search over the run touches five or more.
    fn contains(&self, hash: u128, bits: u32) -> bool {
        let (run, tail) = self.hashes.split_at(self.sorted);
        if tail.contains(&hash) {
            return true;
        }
        if run.is_empty() {
            return false;
        }
        let below = (hash << bits) >> 64;
        let guess = ((below * run.len() as u128) >> 64) as usize;
        let guess = guess.min(run.len() - 1);
        if run[guess] == hash {
            return true;
        }
        // Widen the step until `hash` is bracketed, then search inside the bracket.
        let mut step = 1;
        if run[guess] < hash {
            let mut lo = guess + 1;
            loop {
                let hi = guess.saturating_add(step).min(run.len());
                if hi == run.len() || run[hi - 1] >= hash {
                    return run[lo..hi].binary_search(&hash).is_ok();
                }
                lo = hi;
                step *= 2;
            }
        } else {
            let mut hi = guess;
            loop {
                let lo = guess.saturating_sub(step);
                if lo == 0 || run[lo] <= hash {
                    return run[lo..hi].binary_search(&hash).is_ok();
                }
                hi = lo;
                step *= 2;
            }
        }
    }

    /// Sorts the tail into the run.
    fn merge_tail(&mut self) {
        let v = &mut self.hashes;
        let mut buf = [0u128; TAIL];
        let t = v.len() - self.sorted;
        buf[..t].copy_from_slice(&v[self.sorted..]);
        buf[..t].sort_unstable();
        // Merge from the back: the run's largest first, into the tail's room.
        let (mut i, mut j, mut k) = (self.sorted, t, v.len());
        while j > 0 {
            k -= 1;
            if i > 0 && v[i - 1] > buf[j - 1] {
                i -= 1;
                v[k] = v[i];
            } else {
                j -= 1;
                v[k] = buf[j];
            }
        }
        self.sorted = v.len();
    }
}

/// A set of `u128` hashes, compact at every size.
pub(super) struct SeenSet {
    /// `shards[i]`: the hashes whose top `bits` bits equal `i`.
    shards: Vec<Shard>,
    bits: u32,
    len: usize,
}

impl SeenSet {
    pub(super) fn new() -> Self {
        SeenSet {
            shards: vec![Shard::default()],
            bits: 0,
            len: 0,
        }
    }

    /// Adds `hash`; `false` if it was already there.
    pub(super) fn insert(&mut self, hash: u128) -> bool {
        let index = match hash.checked_shr(128 - self.bits) {
            Some(top) => top as usize,
            None => 0, // bits == 0: one shard
        };
        let shard = &mut self.shards[index];
        if shard.contains(hash, self.bits) {
            return false;
        }
        let hashes = &mut shard.hashes;
        if hashes.len() == hashes.capacity() {
            hashes.reserve_exact((hashes.len() / 16).max(TAIL));
        }
        hashes.push(hash);
        if hashes.len() - shard.sorted == TAIL {
            shard.merge_tail();
        }
        self.len += 1;
        if self.len > self.shards.len() * SPLIT_AT {
            self.split();
        }
        true
    }

    /// Splits every shard in two by the bit below the current prefix.
    fn split(&mut self) {
        let bit = 127 - self.bits;
        let old = std::mem::take(&mut self.shards);
        let mut shards = Vec::with_capacity(old.len() * 2);
        for mut low in old {
            low.merge_tail();
            let mid = low.hashes.partition_point(|&h| (h >> bit) & 1 == 0);
            let high = low.hashes[mid..].to_vec();
            low.hashes.truncate(mid);
            low.hashes.shrink_to_fit();
            low.sorted = mid;
            shards.push(low);
            shards.push(Shard {
                sorted: high.len(),
                hashes: high,
            });
        }
        self.shards = shards;
        self.bits += 1;
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }
}

impl fmt::Debug for SeenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeenSet")
            .field("len", &self.len)
            .field("shards", &self.shards.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use xxhash_rust::xxh3::xxh3_128;

    fn check_invariants(set: &SeenSet) {
        assert_eq!(set.shards.len(), 1 << set.bits);
        assert_eq!(
            set.shards.iter().map(|s| s.hashes.len()).sum::<usize>(),
            set.len()
        );
        let mut all = HashSet::new();
        for (i, shard) in set.shards.iter().enumerate() {
            assert!(shard.hashes.len() - shard.sorted < TAIL);
            let run = &shard.hashes[..shard.sorted];
            assert!(run.windows(2).all(|w| w[0] < w[1]), "shard {i} not sorted");
            for &h in &shard.hashes {
                assert!(all.insert(h), "{h:#x} twice");
                let top = h.checked_shr(128 - set.bits).unwrap_or(0);
                assert_eq!(top as usize, i);
            }
        }
    }

    #[test]
    fn agrees_with_a_hash_set_across_splits() {
        let mut set = SeenSet::new();
        let mut reference = HashSet::new();
        for i in 0u64..40_000 {
            // Uniform hashes, each inserted twice, some far apart.
            let h = xxh3_128(&(i % 30_000).to_le_bytes());
            assert_eq!(set.insert(h), reference.insert(h), "hash of {i}");
        }
        assert_eq!(set.len(), 30_000);
        assert!(set.bits >= 7);
        check_invariants(&set);
        for i in 0u64..30_000 {
            assert!(!set.insert(xxh3_128(&i.to_le_bytes())));
        }
    }

    #[test]
    fn extreme_and_clustered_hashes() {
        let mut set = SeenSet::new();
        let mut reference = HashSet::new();
        let mut values = vec![0, 1, u128::MAX, u128::MAX - 1, 1 << 127, (1 << 127) - 1];
        // Many hashes sharing their top bits land in one shard.
        values.extend((0..2_000u128).map(|i| (0xABCD << 112) | (i * 7919)));
        values.extend((0..2_000u128).map(|i| i << 100));
        for round in 0..2 {
            for &h in &values {
                assert_eq!(set.insert(h), reference.insert(h), "{h:#x} round {round}");
            }
        }
        assert_eq!(set.len(), reference.len());
        check_invariants(&set);
    }

    #[test]
    fn the_guided_search_finds_what_a_binary_search_finds() {
        for n in [1usize, 2, 3, 10, 100, 300] {
            let mut hashes: Vec<u128> = (0..n as u64)
                .map(|i| xxh3_128(&i.to_le_bytes()) >> 3 | (5 << 125))
                .collect();
            hashes.sort_unstable();
            let shard = Shard {
                sorted: hashes.len(),
                hashes: hashes.clone(),
            };
            for &h in &hashes {
                assert!(shard.contains(h, 3));
                for probe in [h - 1, h + 1] {
                    assert_eq!(
                        shard.contains(probe, 3),
                        hashes.binary_search(&probe).is_ok()
                    );
                }
            }
            for probe in [5 << 125, (6 << 125) - 1, u128::MAX, 0] {
                assert_eq!(
                    shard.contains(probe, 3),
                    hashes.binary_search(&probe).is_ok()
                );
            }
        }
    }
}
