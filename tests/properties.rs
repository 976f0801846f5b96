//! Property tests: random configurations of every section, checked by the
//! checker. A failing case shrinks to a small one and is reported as the
//! command line that repeats it.

use harness::programs::checked;
use harness::testing::run_kept;
use harness::{Count, Settings, check};
use proptest::prelude::*;

// ANCHOR: strategy
/// A section (by index) and settings it accepts.
fn runs() -> impl Strategy<Value = (usize, Settings)> {
    (
        0..checked().len(),
        1..12_usize,
        1..12_usize,
        0..40_usize,
        any::<u64>(),
        prop_oneof![Just(None), (0..5_usize).prop_map(Some)],
    )
        .prop_map(|(index, producers, consumers, items, seed, capacity)| {
            let section = checked()[index];
            let config = Settings {
                producers: if section.producers == Count::One {
                    1
                } else {
                    producers
                },
                consumers: if section.consumers == Count::One {
                    1
                } else {
                    consumers
                },
                items,
                seed,
                time_scale: 0.0,
                capacity,
                panic_at: None,
                pace: None,
                jitter: false,
                stall: None,
            };
            (index, config)
        })
}
// ANCHOR_END: strategy

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_run_keeps_the_rules((index, config) in runs()) {
        let section = checked()[index];
        let events = run_kept(&section, &config);
        let verdict = check(&section, &config, &events);
        prop_assert!(verdict.is_ok(), "{}\n{verdict}", section.command(&config));
    }

    #[test]
    fn the_command_line_repeats_the_run((index, config) in runs()) {
        // What a failure prints must parse back into the same settings.
        let section = checked()[index];
        let line = section.command(&config);
        let args = line.split_whitespace().skip(5);
        prop_assert_eq!(harness::settings::parse(&section, args), Ok(config), "{}", line);
    }
}
