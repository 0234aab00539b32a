//! Cheap pre-filters for the name tables of the overlay and the Open Cookie Database.
//!
//! `Classifier::classify` runs once per stored cookie, and most cookie names are in no table
//! or match no prefix. The filters below answer "certainly not here" for most such names in a
//! handful of instructions, so the full lookups (a hash of every byte, a trie walk) run only
//! for names that may match. They are built at compile time from the same tables the lookups
//! read, so they cannot disagree with them: a name a table holds always passes its filter.

/// A cheap hash of a cookie name, computable at compile time: the length and the first and
/// last eight bytes (fewer for a short name, then every byte counts), multiplied together.
///
/// Names that differ only beyond their first and last eight bytes collide. A collision costs a
/// false positive in a filter or one more probe in a table, never a wrong answer.
pub(crate) const fn name_hash(name: &[u8]) -> u64 {
    let n = name.len();
    let (a, b) = if let (Some(head), Some(tail)) = (name.first_chunk::<8>(), name.last_chunk::<8>())
    {
        (u64::from_le_bytes(*head), u64::from_le_bytes(*tail))
    } else if let (Some(head), Some(tail)) = (name.first_chunk::<4>(), name.last_chunk::<4>()) {
        (
            u32::from_le_bytes(*head) as u64,
            u32::from_le_bytes(*tail) as u64,
        )
    } else if n > 0 {
        // One to three bytes: these three positions cover all of them.
        (
            name[0] as u64 | (name[n / 2] as u64) << 8 | (name[n - 1] as u64) << 16,
            0,
        )
    } else {
        (0, 0)
    };
    fold_mul(
        a ^ 0x243f_6a88_85a3_08d3,
        b ^ 0x1319_8a2e_0370_7344 ^ n as u64,
    )
}

/// The two halves of a 128-bit product, xored: every input bit reaches most output bits.
const fn fold_mul(a: u64, b: u64) -> u64 {
    let p = a as u128 * b as u128;
    p as u64 ^ (p >> 64) as u64
}

/// A set of hashes with false positives and no false negatives: one bit per hash, `WORDS`
/// words of 64 bits (a power of two).
pub(crate) struct BitFilter<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> BitFilter<WORDS> {
    /// The empty filter.
    pub(crate) const fn new() -> Self {
        assert!(WORDS.is_power_of_two());
        BitFilter([0; WORDS])
    }

    /// The bit a hash selects: its top bits, which the multiplications above mix best.
    const fn bit(hash: u64) -> (usize, u64) {
        let bits = (WORDS * 64).trailing_zeros();
        let at = (hash >> (64 - bits)) as usize;
        (at / 64, 1 << (at % 64))
    }

    /// Adds a hash.
    pub(crate) const fn insert(&mut self, hash: u64) {
        let (word, bit) = Self::bit(hash);
        self.0[word] |= bit;
    }

    /// Whether a hash may have been added (certainly not, when false).
    #[inline]
    pub(crate) const fn may_contain(&self, hash: u64) -> bool {
        let (word, bit) = Self::bit(hash);
        self.0[word] & bit != 0
    }

    /// The share of bits set, in thousandths: about the false-positive rate.
    #[cfg(test)]
    pub(crate) fn fill_per_mille(&self) -> u32 {
        let set: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        set * 1000 / (WORDS as u32 * 64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_hash_apart_whenever_they_differ() {
        // Up to sixteen bytes every byte is read, so distinct short names rarely collide; check
        // a family of similar names.
        let names: Vec<String> = (0..2000).map(|i| format!("_c{i}")).collect();
        let mut hashes: Vec<u64> = names.iter().map(|n| name_hash(n.as_bytes())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), names.len());
        assert_ne!(name_hash(b""), name_hash(b"\0"));
        assert_ne!(name_hash(b"a"), name_hash(b"aa"));
    }

    #[test]
    fn a_filter_holds_what_was_added() {
        let mut f = BitFilter::<4>::new();
        for i in 0..20u64 {
            f.insert(name_hash(&i.to_le_bytes()));
        }
        for i in 0..20u64 {
            assert!(f.may_contain(name_hash(&i.to_le_bytes())));
        }
        assert!(f.fill_per_mille() <= 20 * 1000 / 256);
    }
}
