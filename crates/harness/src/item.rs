//! The work item, the message that carries it, and where its values come from.

use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;

// ANCHOR: item
/// One unit of work: the tutorial's tuple `(i, value)`.
///
/// `i` counts a producer's items from 0; `value` is a random number in
/// `[0, 1)` that is also the item's simulated effort, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    /// The item's position in its producer's sequence.
    pub i: usize,
    /// A random number in `[0, 1)`.
    pub value: f64,
}

impl fmt::Display for Item {
    /// Prints `(i, value)` as Python prints the tuple: `{:?}` gives the
    /// shortest text that reads back as the same `f64`, and `0.0` for zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {:?})", self.i, self.value)
    }
}
// ANCHOR_END: item

// ANCHOR: message
/// What travels through the queue: an item, or the sentinel that says
/// "no more items". Python uses `None` for the sentinel; here it is a
/// variant of its own, so it can never be mistaken for an item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Message {
    /// A unit of work.
    Item(Item),
    /// No more items will come.
    Sentinel,
}
// ANCHOR_END: message

/// The random number generator of one producer in a run.
///
/// Each producer gets its own generator, keyed by the run's seed and the
/// producer's identifier, so the items a run makes do not depend on which
/// thread happens to draw first.
pub fn producer_rng(seed: u64, producer: usize) -> StdRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(producer as u64).to_le_bytes());
    StdRng::from_seed(key)
}

/// The items producer `producer` makes in a run with `seed`: what the
/// checker expects to see consumed.
pub fn expected_items(seed: u64, producer: usize, count: usize) -> Vec<Item> {
    use rand::RngExt;
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
    fn items_print_like_python_tuples() {
        let item = Item {
            i: 0,
            value: 0.1773209157029404,
        };
        assert_eq!(item.to_string(), "(0, 0.1773209157029404)");
        assert_eq!(Item { i: 3, value: 0.0 }.to_string(), "(3, 0.0)");
    }

    #[test]
    fn each_producer_has_its_own_reproducible_sequence() {
        assert_eq!(expected_items(7, 0, 5), expected_items(7, 0, 5));
        assert_ne!(expected_items(7, 0, 5), expected_items(7, 1, 5));
        assert_ne!(expected_items(7, 0, 5), expected_items(8, 0, 5));
        // A longer run starts with the items of a shorter one.
        assert_eq!(expected_items(7, 2, 10)[..4], expected_items(7, 2, 4)[..]);
    }
}
