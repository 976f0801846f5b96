//! Snapshot tests: a normalized view of each section's run, the same every
//! time, compared with the committed snapshot in `tests/snapshots/`.
//!
//! The raw output changes from run to run (threads interleave differently),
//! so the snapshot holds what must not change: the counts of each kind of
//! event, each producer's items, every consumed item sorted, and the
//! checker's verdict.

use harness::programs::named;
use harness::summary;
use harness::testing::run_kept;

/// How many times each snapshot is repeated, to show it is stable.
const REPEATS: usize = 20;

// ANCHOR: assert_stable
fn assert_stable(snapshot: &str, name: &str, capacity: Option<usize>) {
    let section = named(name).expect("a section of that name");
    let mut config = section.settings(42);
    config.time_scale = 0.0;
    config.capacity = capacity;
    insta::allow_duplicates! {
        for _ in 0..REPEATS {
            let events = run_kept(&section, &config);
            insta::assert_snapshot!(snapshot, summary(&section, &config, &events));
        }
    }
}
// ANCHOR_END: assert_stable

#[test]
fn one_one() {
    assert_stable("one-one", "one-one", None);
}

#[test]
fn many_one() {
    assert_stable("many-one", "many-one", None);
}

#[test]
fn one_many() {
    assert_stable("one-many", "one-many", None);
}

#[test]
fn many_many() {
    assert_stable("many-many", "many-many", None);
}

#[test]
fn many_many_rendezvous() {
    assert_stable("many-many-rendezvous", "many-many", Some(0));
}
