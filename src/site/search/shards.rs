//! The shards of the index: every part's postings joined, page numbers counted across the parts,
//! and cut by token hash (`shard_of`). A preview keeps them between renders: when every part has
//! as many pages as before, so that no page number moves, only the tokens of the runs of pages
//! that changed are spliced in, and only the shards that hold them are written again.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::text::Key;
use super::{shard_of, Part, RUN};

/// Postings a shard holds on average, at most.
const PER_SHARD: usize = 3000;

/// Postings by token: each token's pages, ascending, each `page × 2 + 1 if in the title`.
pub(super) type Postings = crate::fasthash::Map<Key, Vec<u32>>;

/// A shard: its tokens, ascending, each with its pages.
type Shard = Vec<(String, Vec<u32>)>;

/// The joined postings, cut into shards.
#[derive(Debug, Clone, Default)]
pub(super) struct Joined {
    /// Each part's key and number of pages, in page order: what the page numbers follow.
    layout: Vec<(String, usize)>,
    /// Postings in all.
    total: usize,
    /// Shared with the index before when they did not change.
    pub shards: Vec<Arc<Shard>>,
    /// Whether each shard is the same as the index before's (its file need not be made again).
    pub same: Vec<bool>,
}

/// How many shards `total` postings take.
fn shard_count(total: usize) -> usize {
    total.div_ceil(PER_SHARD).clamp(1, 4096)
}

/// The layout of these parts: each one's key and number of pages.
fn layout(parts: &[(String, Arc<Part>)]) -> Vec<(String, usize)> {
    parts
        .iter()
        .map(|(id, p)| (id.clone(), p.docs.len()))
        .collect()
}

impl Joined {
    /// The shards of `parts`: spliced from `before` (made from the parts `was`) when every
    /// part has as many pages as then and the shards are as many, else joined anew.
    pub fn of(
        parts: &[(String, Arc<Part>)],
        before: Option<(&Joined, &BTreeMap<String, Arc<Part>>)>,
    ) -> Joined {
        let layout = layout(parts);
        before
            .filter(|(b, _)| b.layout == layout)
            .and_then(|(b, was)| b.spliced(parts, was))
            .unwrap_or_else(|| Joined::anew(parts, layout, before.map(|(b, _)| b)))
    }

    /// Every part's postings joined, its pages numbered after the parts before it; each shard
    /// compared with `before`'s.
    fn anew(
        parts: &[(String, Arc<Part>)],
        layout: Vec<(String, usize)>,
        before: Option<&Joined>,
    ) -> Joined {
        let mut postings: crate::fasthash::Map<&Key, Vec<u32>> = Default::default();
        let mut offset = 0u32;
        for (_, part) in parts {
            for (run, (_, run_postings)) in part.runs.iter().enumerate() {
                // Page numbers grow run by run, so each token's pages stay ascending.
                let at = start_of(offset, run);
                for (key, pages) in run_postings.iter() {
                    postings
                        .entry(key)
                        .or_default()
                        .extend(pages.iter().map(|p| p + at));
                }
            }
            offset += u32::try_from(part.docs.len()).unwrap_or(u32::MAX);
        }
        let total: usize = postings.values().map(Vec::len).sum();
        let count = shard_count(total);
        let mut shards: Vec<Shard> = vec![Vec::new(); count];
        for (key, pages) in postings {
            let text = key.text();
            shards[shard_of(&text, count)].push((text, pages));
        }
        let before = before.filter(|b| b.shards.len() == count);
        let (shards, same) = shards
            .into_par_iter()
            .enumerate()
            .map(|(i, mut tokens)| {
                tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let same = before.is_some_and(|b| *b.shards[i] == tokens);
                (Arc::new(tokens), same)
            })
            .unzip();
        Joined {
            layout,
            total,
            shards,
            same,
        }
    }

    /// These shards with the runs of `parts` that are not those of `was` spliced in: each
    /// token whose pages in a run differ gets that run's pages anew. `None` when the shards
    /// would be more or fewer.
    fn spliced(
        &self,
        parts: &[(String, Arc<Part>)],
        was: &BTreeMap<String, Arc<Part>>,
    ) -> Option<Joined> {
        let mut next = Joined {
            same: vec![true; self.shards.len()],
            ..self.clone()
        };
        let mut offset = 0u32;
        for (id, part) in parts {
            let then = was.get(id)?;
            if !Arc::ptr_eq(part, then) {
                for (run, ((_, now), (_, old))) in part.runs.iter().zip(&then.runs).enumerate() {
                    if !Arc::ptr_eq(now, old) {
                        // The last run of a part may be short: the next part's pages follow it.
                        let len = RUN.min(part.docs.len() - run * RUN);
                        next.splice(start_of(offset, run), len, now, old);
                    }
                }
            }
            offset += u32::try_from(part.docs.len()).unwrap_or(u32::MAX);
        }
        (shard_count(next.total) == next.shards.len()).then_some(next)
    }

    /// Puts the pages of run `now` in place of those of `old`, the run of `len` pages starting at
    /// page number `at` (× 2).
    fn splice(&mut self, at: u32, len: usize, now: &Postings, old: &Postings) {
        let end = at.saturating_add(u32::try_from(len * 2).unwrap_or(u32::MAX));
        let gone = old.keys().filter(|k| !now.contains_key(*k));
        for key in now.keys().chain(gone) {
            let (new, former) = (pages_of(now, key), pages_of(old, key));
            if new == former {
                continue;
            }
            self.total = self.total - former.len() + new.len();
            let text = key.text();
            let i = shard_of(&text, self.shards.len());
            self.same[i] = false;
            let shard = Arc::make_mut(&mut self.shards[i]);
            let shifted = new.iter().map(|p| p + at);
            match shard.binary_search_by(|(t, _)| t.as_str().cmp(&text)) {
                Ok(k) => {
                    let pages = &mut shard[k].1;
                    let from = pages.partition_point(|&p| p < at);
                    let to = pages.partition_point(|&p| p < end);
                    pages.splice(from..to, shifted);
                    if pages.is_empty() {
                        shard.remove(k);
                    }
                }
                // Not in the index before: only in this run, now.
                Err(k) => shard.insert(k, (text, shifted.collect())),
            }
        }
    }
}

/// The pages of `key` in `postings`, none if it has none.
fn pages_of<'p>(postings: &'p Postings, key: &Key) -> &'p [u32] {
    postings.get(key).map_or(&[], Vec::as_slice)
}

/// The number (× 2) of the first page of run `run` of the part whose pages start at `offset`.
fn start_of(offset: u32, run: usize) -> u32 {
    offset * 2 + u32::try_from(run * RUN).unwrap_or(u32::MAX) * 2
}

/// A shard's file: each token with its pages, each written `delta × 2 + 1 if in the title`, the
/// deltas between ascending page numbers.
pub(super) fn shard_json(tokens: &[(String, Vec<u32>)]) -> Vec<u8> {
    let mut out = String::from("{");
    for (n, (token, pages)) in tokens.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(token).expect("a string serialises"));
        out.push_str(":[");
        let mut last = 0;
        for (k, page) in pages.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            let (doc, title) = (page / 2, page % 2);
            // Millions of numbers in a large site: written without the formatting machinery.
            out.push_str(itoa::Buffer::new().format((doc - last) * 2 + title));
            last = doc;
        }
        out.push(']');
    }
    out.push('}');
    out.shrink_to_fit();
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::search::{Doc, Entry};
    use crate::site::Html;
    use proptest::prelude::*;

    /// A part of pages titled `titles`, made with what `before` holds.
    fn part(folder: &str, titles: &[String], before: Option<&Part>, html: &Html) -> Arc<Part> {
        let entries = titles
            .iter()
            .enumerate()
            .map(|(i, t)| Entry::new(Doc::page(format!("{folder}/{i}/"), t.clone()), Vec::new()))
            .collect();
        Arc::new(Part::of(folder.into(), entries, before, html, None).0)
    }

    fn titles(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
        let word = prop::sample::select(vec![
            "产教",
            "联合体",
            "实训",
            "alpha",
            "beta",
            "2024",
            "订单班",
        ]);
        prop::collection::vec(
            prop::collection::vec(word, 0..4).prop_map(|w| w.join(" ")),
            n,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Splicing the runs that changed gives the shards that joining every part anew gives,
        /// and a shard called the same is the same as before.
        #[test]
        fn spliced_shards_are_the_joined_ones(
            a in titles(0..600),
            b in titles(1..900),
            edits in prop::collection::vec((any::<bool>(), any::<prop::sample::Index>(), titles(1..2)), 1..6),
        ) {
            let html = Html::default();
            let was: BTreeMap<String, Arc<Part>> = [
                (String::new(), part("site", &a, None, &html)),
                ("c".to_string(), part("c/c", &b, None, &html)),
            ]
            .into_iter()
            .collect();
            let listed = |m: &BTreeMap<String, Arc<Part>>| -> Vec<(String, Arc<Part>)> {
                m.iter().map(|(k, p)| (k.clone(), Arc::clone(p))).collect()
            };
            let before = Joined::of(&listed(&was), None);
            let (mut a2, mut b2) = (a.clone(), b.clone());
            for (first, at, title) in &edits {
                let pages = if *first { &mut a2 } else { &mut b2 };
                if !pages.is_empty() {
                    let i = at.index(pages.len());
                    pages[i] = title[0].clone();
                }
            }
            let now: Vec<(String, Arc<Part>)> = vec![
                (String::new(), part("site", &a2, Some(&was[""]), &html)),
                ("c".to_string(), part("c/c", &b2, Some(&was["c"]), &html)),
            ];
            let spliced = Joined::of(&now, Some((&before, &was)));
            let anew = Joined::of(&now, None);
            prop_assert_eq!(spliced.total, anew.total);
            prop_assert_eq!(spliced.shards.len(), anew.shards.len());
            for (i, (s, n)) in spliced.shards.iter().zip(&anew.shards).enumerate() {
                prop_assert_eq!(s, n, "shard {}", i);
                if spliced.same[i] {
                    prop_assert_eq!(&before.shards[i], s, "shard {} called the same", i);
                }
            }
        }
    }
}
