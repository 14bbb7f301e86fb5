//! Stable sorting compiled once. The standard library's sorts are generic over the element and the
//! comparison, so every `sort_by_key` on another type or with another closure adds a copy of the whole sort
//! algorithm (about 4 KB of wasm each; there were 73 of them, 8 % of the app before optimisation). These sort
//! a list of positions with one non-generic sort behind a `dyn` comparison, then move the elements into that
//! order: the same result as the standard stable sort (equal elements keep their order), a few hundred bytes
//! per element type.

use std::cmp::Ordering;

/// Sorts `v` stably with `cmp`, like `slice::sort_by`.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sorts `v` stably by `key`, like `slice::sort_by_key`.
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    by(v, Ord::cmp);
}

/// The positions `0..n` in the order `cmp` puts the elements at them, equal ones in their original order:
/// the one instance of the sort algorithm.
#[allow(clippy::disallowed_methods)]
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

/// Moves the element at `order[i]` to `i`, for every `i`, by following each cycle of the permutation.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            if from == DONE {
                break;
            }
            order[at] = DONE;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Pairs sorted by their first half only: equal keys must keep their order.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..200 {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            #[allow(clippy::disallowed_methods)]
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "length {len}");
            let mut whole = v.clone();
            sort(&mut whole);
            let mut expected = v;
            #[allow(clippy::disallowed_methods)]
            expected.sort();
            assert_eq!(whole, expected);
        }
    }

    #[test]
    fn sorts_by_a_comparison_in_reverse() {
        let mut names = vec!["web-1", "web-10", "web-2", "web-0"];
        by(&mut names, |a, b| b.cmp(a));
        assert_eq!(names, ["web-2", "web-10", "web-1", "web-0"]);
    }
}
