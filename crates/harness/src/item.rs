//! The work item and the message that carry it (the programs' own, from
//! `common`), and the items a run is expected to make.

pub use common::{Item, Message, producer_rng};

/// The items producer `producer` makes in a run with `seed`: what the
/// checker expects to see consumed.
pub fn expected_items(seed: u64, producer: usize, count: usize) -> Vec<Item> {
    let mut rng = producer_rng(seed, producer);
    (0..count)
        .map(|i| Item {
            i,
            value: rng.random(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_producer_has_its_own_reproducible_sequence() {
        assert_eq!(expected_items(7, 0, 5), expected_items(7, 0, 5));
        assert_ne!(expected_items(7, 0, 5), expected_items(7, 1, 5));
        assert_ne!(expected_items(7, 0, 5), expected_items(8, 0, 5));
        // A longer run starts with the items of a shorter one.
        assert_eq!(expected_items(7, 2, 10)[..4], expected_items(7, 2, 4)[..]);
    }
}
