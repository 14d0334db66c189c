//! A fast hash for maps keyed by the site's own strings and tokens (paths, search tokens): a
//! key's bytes by XXH3, folded in with a multiplication. The keys come from the site's own files,
//! so SipHash's defence against chosen keys buys nothing there, and lookups among thousands of
//! paths that share a long prefix cost a hash, not a dozen string comparisons.

/// The hasher: XXH3 of each write, folded.
#[derive(Default)]
pub struct Hasher(u64);

impl std::hash::Hasher for Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.write_u64(xxhash_rust::xxh3::xxh3_64(bytes));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Builds `Hasher`s, for `HashMap`.
pub type Build = std::hash::BuildHasherDefault<Hasher>;

/// A `HashMap` with `Hasher`.
pub type Map<K, V> = std::collections::HashMap<K, V, Build>;

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    #[test]
    fn keys_that_differ_hash_apart_and_equal_keys_alike() {
        let b = super::Build::default();
        let paths: Vec<String> = (0..10_000)
            .map(|i| format!("content/consortia/c000/announcements/a{i:05}.md"))
            .collect();
        let hashes: std::collections::HashSet<u64> = paths.iter().map(|p| b.hash_one(p)).collect();
        assert_eq!(hashes.len(), paths.len());
        assert_eq!(b.hash_one("a"), b.hash_one(String::from("a")));
        // The end of a string counts: ("ab", "c") and ("a", "bc") are not the same key.
        assert_ne!(b.hash_one(("ab", "c")), b.hash_one(("a", "bc")));
    }
}
