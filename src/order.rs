//! Sorting large values: the order is found on references and then applied with one move a
//! value. A stable sort of the values themselves moves each one about log₂ n times; for a
//! consortium's thousands of announcements (over 400 bytes each) that copying was the larger part
//! of reading them.

use std::cmp::Ordering;

/// `items` in the order `compare` gives, equal ones as they were (a stable sort).
pub fn sorted_by<T>(items: Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_a_stable_sort_does() {
        let items: Vec<(u8, usize)> = [3u8, 1, 3, 0, 1, 2, 3, 0]
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i))
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|a| a.0);
        assert_eq!(sorted_by(items, |a, b| a.0.cmp(&b.0)), expected);
        assert!(sorted_by(Vec::<u8>::new(), |a, b| a.cmp(b)).is_empty());
    }
}
