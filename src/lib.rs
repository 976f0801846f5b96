//! The workspace's root package: it gives the top-level `tests/` and
//! `examples/` one place to reach every program from (the plain ones
//! through the harness, which runs them and reads what they print), and
//! holds the code of the examples not yet made plain: the shutdowns the
//! tutorial names but does not build, and a classic channel bug.

pub mod async_consumers;
pub mod backpressure;
pub mod consumer_panic;
pub mod consumers_gone;
pub mod disconnect;
pub mod event_timeout;
pub mod forgotten_sender;
pub mod select;
pub mod shutdown;
pub mod task_done;

pub use harness;

use harness::programs::{COUNTING_SENTINELS, MANY_MANY, MANY_ONE, ONE_MANY, ONE_ONE, watch};
use harness::{Run, Section};

/// The four tutorial sections, in the tutorial's order, each with a `run`
/// that runs its real program and reads what it prints, as it happens.
pub const SECTIONS: [(Section, Run); 4] = [
    (ONE_ONE, |config, log| watch(&ONE_ONE, config, log)),
    (MANY_ONE, |config, log| watch(&MANY_ONE, config, log)),
    (ONE_MANY, |config, log| watch(&ONE_MANY, config, log)),
    (MANY_MANY, |config, log| watch(&MANY_MANY, config, log)),
];

/// The section or example called `name`, with its `run`.
pub fn program(name: &str) -> Option<(Section, Run)> {
    SECTIONS
        .into_iter()
        .chain(EXAMPLES)
        .find(|(section, _)| section.name == name)
}

/// The examples with a section's command line (shutdowns beyond the
/// tutorial's, and what goes wrong), with their `run`.
pub const EXAMPLES: [(Section, Run); 10] = [
    (COUNTING_SENTINELS, |config, log| {
        watch(&COUNTING_SENTINELS, config, log)
    }),
    (disconnect::SECTION, disconnect::run),
    (event_timeout::SECTION, event_timeout::run),
    (forgotten_sender::SECTION, forgotten_sender::run),
    (shutdown::SECTION, shutdown::run),
    (shutdown::SECTION_IMMEDIATE, shutdown::run_immediate),
    (select::SECTION, select::run),
    (task_done::SECTION, task_done::run),
    (backpressure::SECTION, backpressure::run),
    (async_consumers::SECTION, async_consumers::run),
];

/// The examples whose runs end in a failure on purpose (a panic, every
/// consumer gone), with their `run`. They share the sections' command line
/// but not the checker's rules, so they have tests of their own.
pub const FAILURE_EXAMPLES: [(Section, Run); 2] = [
    (consumer_panic::SECTION, consumer_panic::run),
    (consumers_gone::SECTION, consumers_gone::run),
];

/// The failure example called `name`, with its `run`.
pub fn failure_program(name: &str) -> Option<(Section, Run)> {
    FAILURE_EXAMPLES
        .into_iter()
        .find(|(section, _)| section.name == name)
}
