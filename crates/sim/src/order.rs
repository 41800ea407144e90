//! One stable sort for the whole core: every ordering of the page's data goes through
//! [`order_by`], so the download carries one copy of the standard library's sort, not one per
//! element type and comparison (each copy is a few kilobytes of wasm).

/// The indices of `keys` in ascending order of their key; equal keys keep their order (a
/// stable sort). NaN sorts after everything, as `f64::total_cmp` orders it.
pub fn order_by(keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    #[allow(clippy::disallowed_methods)] // the one door (crates/clippy.toml)
    order.sort_by(|a, b| keys[*a].total_cmp(&keys[*b]));
    order
}

/// `items` reordered by `key` (stable).
pub fn sorted_by<T>(items: Vec<T>, key: impl Fn(&T) -> f64) -> Vec<T> {
    let keys: Vec<f64> = items.iter().map(&key).collect();
    let order = order_by(&keys);
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_key_and_keeps_equal_keys_in_their_order() {
        assert_eq!(order_by(&[3.0, 1.0, 2.0, 1.0]), vec![1, 3, 2, 0]);
        assert_eq!(order_by(&[]), Vec::<usize>::new());
        assert_eq!(order_by(&[f64::NAN, 0.0]), vec![1, 0]);
        let items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
        assert_eq!(
            sorted_by(items, |x| f64::from(x.0)),
            vec![(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]
        );
    }
}
