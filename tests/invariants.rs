//! The checker's rules, over many runs: a sweep over producers x consumers
//! x capacity x items of every section and example, and a thousand repeats
//! of each section's default run.

use harness::Kind;
use harness::programs::{checked, of_kind};
use harness::testing::run_kept;
use harness::{Count, Settings};

/// The thread counts to try for a role: just 1 where the section runs one.
fn counts(count: Count) -> &'static [usize] {
    match count {
        Count::One => &[1],
        Count::Many(_) => &[1, 2, 5],
    }
}

// ANCHOR: sweep
#[test]
fn every_configuration_keeps_the_rules() {
    let mut runs = 0;
    // The sections, then the examples that share their command line.
    for section in checked() {
        for &producers in counts(section.producers) {
            for &consumers in counts(section.consumers) {
                for capacity in [Some(0), Some(1), Some(4), None] {
                    for items in [0, 1, 7] {
                        let config = Settings {
                            producers,
                            consumers,
                            items,
                            seed: runs,
                            time_scale: 0.0,
                            capacity,
                            panic_at: None,
                            pace: None,
                            jitter: false,
                            stall: None,
                        };
                        let events = run_kept(&section, &config);
                        harness::testing::assert_kept(
                            &section,
                            &config,
                            &events,
                            &section.command(&config),
                        );
                        runs += 1;
                    }
                }
            }
        }
    }
    // Every shape of every program, at four capacities and three sizes:
    // counted from the table, so a program added to it is swept too.
    let shapes: usize = checked()
        .iter()
        .map(|s| counts(s.producers).len() * counts(s.consumers).len())
        .sum();
    assert_eq!(runs, shapes as u64 * 4 * 3);
}
// ANCHOR_END: sweep

#[test]
fn runs_with_sleeps_keep_the_rules() {
    // A tiny time scale lets the threads really interleave, as in a
    // default run, while keeping the test fast.
    for section in of_kind(Kind::Section) {
        for capacity in [Some(0), Some(1), None] {
            let mut config = section.settings(7);
            config.time_scale = 0.002;
            config.capacity = capacity;
            let events = run_kept(&section, &config);
            harness::testing::assert_kept(&section, &config, &events, &section.command(&config));
        }
    }
}

#[test]
fn a_thousand_runs_of_each_section_keep_the_rules() {
    for section in of_kind(Kind::Section) {
        for seed in 0..1000 {
            let mut config = section.settings(seed);
            config.time_scale = 0.0;
            let events = run_kept(&section, &config);
            harness::testing::assert_kept(&section, &config, &events, &section.command(&config));
        }
    }
}
