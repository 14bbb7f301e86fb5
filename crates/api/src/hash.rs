//! A fast hasher with no keys, for maps that are looked up and never iterated: the store's objects by key and
//! the event correlator's caches. It is the multiply-and-rotate hash rustc uses for its own tables (FxHash):
//! a few instructions a word, where the standard library's SipHash is built to resist chosen keys, which a
//! simulation on the learner's own machine has no need for. With no random state the same run hashes the
//! same way on every machine; and since these maps are never iterated, their order cannot reach what the
//! cluster does either.

use std::borrow::Borrow;
use std::hash::{BuildHasherDefault, Hash, Hasher};

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

/// How many parts a [`PartedMap`] keeps.
const PARTS: usize = 64;

/// A [`FastMap`] in 64 parts, each key in the part its hash chooses, so that growing moves one part's entries
/// at a time. A single hash map doubles all at once: each key rehashed and moved in the one insert that finds
/// it full, which at the store's 230,000 objects was a 50 ms insert, a frozen frame in the browser. Here each
/// part grows on its own insert, a 64th of that. Never iterated, like [`FastMap`].
#[derive(Debug)]
pub struct PartedMap<K, V> {
    parts: Box<[FastMap<K, V>; PARTS]>,
}

impl<K, V> Default for PartedMap<K, V> {
    fn default() -> Self {
        PartedMap {
            parts: Box::new(std::array::from_fn(|_| FastMap::default())),
        }
    }
}

impl<K: Hash + Eq, V> PartedMap<K, V> {
    /// The part `key` lives in: the top bits of its hash mixed once more (the hash's own top and low bits are
    /// what each part's table uses, and its middle bits are poorly spread for names that differ at the end).
    fn part<Q: Hash + ?Sized>(key: &Q) -> usize {
        let mut h = FxHasher::default();
        key.hash(&mut h);
        let mixed = (h.finish() ^ (h.finish() >> 29)).wrapping_mul(SEED);
        (mixed >> 58) as usize % PARTS
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.parts[Self::part(key)].get(key)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.parts[Self::part(key)].get_mut(key)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.parts[Self::part(key)].contains_key(key)
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.parts[Self::part(&key)].insert(key, value)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.parts[Self::part(key)].remove(key)
    }

    pub fn entry(&mut self, key: K) -> std::collections::hash_map::Entry<'_, K, V> {
        self.parts[Self::part(&key)].entry(key)
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| p.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.is_empty())
    }
}

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

    #[test]
    fn a_parted_map_finds_what_was_put_in_whatever_its_part() {
        let mut m: PartedMap<String, usize> = PartedMap::default();
        for i in 0..10_000 {
            assert_eq!(m.insert(format!("web-{i}"), i), None);
        }
        assert_eq!(m.len(), 10_000);
        // Looked up by a borrowed key, changed in place, through an entry, removed.
        assert_eq!(m.get("web-4321"), Some(&4321));
        *m.get_mut("web-7").unwrap() += 1;
        assert_eq!(m.get("web-7"), Some(&8));
        *m.entry("web-7".into()).or_default() += 1;
        *m.entry("new".into()).or_default() += 5;
        assert_eq!((m.get("web-7"), m.get("new")), (Some(&9), Some(&5)));
        assert_eq!(m.remove("web-0"), Some(0));
        assert!(!m.contains_key("web-0") && m.contains_key("web-1"));
        assert_eq!(m.len(), 10_000);
        // The keys are spread over the parts, not piled into a few.
        let used = m.parts.iter().filter(|p| p.len() > 100).count();
        assert_eq!(
            used,
            PARTS,
            "{:?}",
            m.parts.iter().map(|p| p.len()).collect::<Vec<_>>()
        );
        assert!(PartedMap::<u64, ()>::default().is_empty());
    }
}
