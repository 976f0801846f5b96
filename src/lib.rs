//! The workspace's root package: it gives the top-level `tests/` and
//! `examples/` one place to reach every program from. Every program is a
//! plain file (a section crate's `src/main.rs`, or `examples/NAME.rs`); the
//! harness runs it and reads what it prints.

pub use harness;

use harness::programs::{self, watch};
use harness::{Run, Section};

/// The four tutorial sections, in the tutorial's order, each with a `run`
/// that runs its real program and reads what it prints, as it happens.
pub const SECTIONS: [(Section, Run); 4] = [
    (programs::ONE_ONE, |c, log| {
        watch(&programs::ONE_ONE, c, log)
    }),
    (programs::MANY_ONE, |c, log| {
        watch(&programs::MANY_ONE, c, log)
    }),
    (programs::ONE_MANY, |c, log| {
        watch(&programs::ONE_MANY, c, log)
    }),
    (programs::MANY_MANY, |c, log| {
        watch(&programs::MANY_MANY, c, log)
    }),
];

/// The examples that keep the checker's rules (shutdowns beyond the
/// tutorial's, backpressure, async consumers, and a classic channel bug),
/// with their `run`.
pub const EXAMPLES: [(Section, Run); 10] = [
    (programs::COUNTING_SENTINELS, |c, log| {
        watch(&programs::COUNTING_SENTINELS, c, log)
    }),
    (programs::DISCONNECT, |c, log| {
        watch(&programs::DISCONNECT, c, log)
    }),
    (programs::EVENT_TIMEOUT, |c, log| {
        watch(&programs::EVENT_TIMEOUT, c, log)
    }),
    (programs::FORGOTTEN_SENDER, |c, log| {
        watch(&programs::FORGOTTEN_SENDER, c, log)
    }),
    (programs::SHUTDOWN, |c, log| {
        watch(&programs::SHUTDOWN, c, log)
    }),
    (programs::SHUTDOWN_IMMEDIATE, |c, log| {
        watch(&programs::SHUTDOWN_IMMEDIATE, c, log)
    }),
    (programs::SELECT, |c, log| watch(&programs::SELECT, c, log)),
    (programs::TASK_DONE, |c, log| {
        watch(&programs::TASK_DONE, c, log)
    }),
    (programs::BACKPRESSURE, |c, log| {
        watch(&programs::BACKPRESSURE, c, log)
    }),
    (programs::ASYNC_CONSUMERS, |c, log| {
        watch(&programs::ASYNC_CONSUMERS, c, log)
    }),
];

/// The section or example called `name`, with its `run`.
pub fn program(name: &str) -> Option<(Section, Run)> {
    SECTIONS
        .into_iter()
        .chain(EXAMPLES)
        .chain(FAILURE_EXAMPLES)
        .find(|(section, _)| section.name == name)
}

/// The examples whose runs end in a failure on purpose (a panic, every
/// consumer gone), with their `run`. They share the sections' command line
/// but not the checker's rules, so they have tests of their own.
pub const FAILURE_EXAMPLES: [(Section, Run); 2] = [
    (programs::CONSUMER_PANIC, |c, log| {
        watch(&programs::CONSUMER_PANIC, c, log)
    }),
    (programs::CONSUMERS_GONE, |c, log| {
        watch(&programs::CONSUMERS_GONE, c, log)
    }),
];

/// The failure example called `name`, with its `run`.
pub fn failure_program(name: &str) -> Option<(Section, Run)> {
    FAILURE_EXAMPLES
        .into_iter()
        .find(|(section, _)| section.name == name)
}
