//! Stress: hundreds of threads and over 300,000 items in all, at every
//! capacity, at `--time-scale 0`. Every item must be consumed exactly once,
//! every thread joined, and no run may hang (each is bounded).
//!
//! For longer runs: `cargo run --release -p xtask -- stress` (see README).

use harness::programs::checked;
use harness::testing::run_kept;
use harness::{Count, Settings};

/// Threads of a role for a stress run: hundreds where the section has
/// several, else the one it has.
fn threads(count: Count, many: usize) -> usize {
    match count {
        Count::One => 1,
        Count::Many(_) => many,
    }
}

#[test]
#[ignore = "slow (minutes in a debug build): cargo test --workspace -- --ignored"]
fn hundreds_of_threads_lose_nothing_at_any_capacity() {
    let mut items = 0;
    for section in checked() {
        for capacity in [Some(0), Some(1), Some(64), None] {
            let producers = threads(section.producers, 200);
            let consumers = threads(section.consumers, 200);
            let config = Settings {
                producers,
                consumers,
                // About 5,000 items a run: hundreds of threads at every
                // capacity, within a minute of CPU in a debug build. The
                // long runs (millions of items) are `xtask stress`'s.
                items: 5_000 / producers,
                seed: 11,
                time_scale: 0.0,
                capacity,
                panic_at: None,
                pace: None,
                jitter: false,
                stall: None,
            };
            let events = run_kept(&section, &config);
            harness::testing::assert_kept(&section, &config, &events, &section.command(&config));
            items += harness::section::total_items(&config);
        }
    }
    assert!(items >= 300_000, "only {items} items");
}
