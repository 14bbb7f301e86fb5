//! A fast hasher with no keys, for maps that are looked up and never iterated: the store's objects by key and
//! the event correlator's caches. It is the multiply-and-rotate hash rustc uses for its own tables (FxHash):
//! a few instructions a word, where the standard library's SipHash is built to resist chosen keys, which a
//! simulation on the learner's own machine has no need for. With no random state the same run hashes the
//! same way on every machine; and since these maps are never iterated, their order cannot reach what the
//! cluster does either.

use std::hash::{BuildHasherDefault, Hasher};

/// The multiplier rustc's FxHasher uses (a 64-bit odd constant derived from π).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The last few bytes, with their count in the byte they leave free: "a" and "a\0" differ.
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            word[7] = rest.len() as u8;
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` hashed with [`FxHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash_of(v: &impl Hash) -> u64 {
        let mut h = FxHasher::default();
        v.hash(&mut h);
        h.finish()
    }

    #[test]
    fn equal_values_hash_alike_and_near_ones_apart() {
        assert_eq!(hash_of(&"web-0"), hash_of(&String::from("web-0")));
        // Names that differ in one character, in the last partial word, or only in length.
        let names = [
            "web-0",
            "web-1",
            "web-10",
            "web-01",
            "www-web-0",
            "web-0\0",
            "",
        ];
        let mut sorted: Vec<u64> = names.iter().map(hash_of).collect();
        crate::sort::sort(&mut sorted);
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        // No random state: the value is the same on every run and machine.
        assert_eq!(hash_of(&7u64), 7u64.wrapping_mul(SEED));
    }
}
