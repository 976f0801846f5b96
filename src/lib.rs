//! The workspace's root package: it gives the top-level `tests/` and the
//! tools one place to reach every program from. Every program is a
//! plain file (a section crate's `src/main.rs`, or `examples/NAME.rs`); the
//! harness runs it and reads what it prints.

pub use harness;

use harness::programs::{self, watch};
use harness::{Run, Section};

/// Each program named, with a `run` that runs its real program and reads
/// what it prints, as it happens.
macro_rules! watched {
    ($($name:ident),* $(,)?) => {
        [$((programs::$name, |config, log| watch(&programs::$name, config, log))),*]
    };
}

/// The four tutorial sections, in the tutorial's order.
pub const SECTIONS: [(Section, Run); 4] = watched!(ONE_ONE, MANY_ONE, ONE_MANY, MANY_MANY);

/// The examples that keep the checker's rules (shutdowns beyond the
/// tutorial's, backpressure, async consumers, and a classic channel bug).
pub const EXAMPLES: [(Section, Run); 10] = watched!(
    COUNTING_SENTINELS,
    DISCONNECT,
    EVENT_TIMEOUT,
    FORGOTTEN_SENDER,
    SHUTDOWN,
    SHUTDOWN_IMMEDIATE,
    SELECT,
    TASK_DONE,
    BACKPRESSURE,
    ASYNC_CONSUMERS,
);

/// Beyond one process: producers and consumers as separate programs, over
/// Redis Streams (`crates/redis-streams`). Its runs need `redis-server`.
pub const BEYOND: [(Section, Run); 1] = watched!(REDIS_STREAMS);

/// The section or example called `name`, with its `run`.
pub fn program(name: &str) -> Option<(Section, Run)> {
    SECTIONS
        .into_iter()
        .chain(EXAMPLES)
        .chain(FAILURE_EXAMPLES)
        .chain(BEYOND)
        .find(|(section, _)| section.name == name)
}

/// The examples whose runs end in a failure on purpose (a panic, every
/// consumer gone). They share the sections' command line but not the
/// checker's rules, so they have tests of their own.
pub const FAILURE_EXAMPLES: [(Section, Run); 2] = watched!(CONSUMER_PANIC, CONSUMERS_GONE);

/// The failure example called `name`, with its `run`.
pub fn failure_program(name: &str) -> Option<(Section, Run)> {
    FAILURE_EXAMPLES
        .into_iter()
        .find(|(section, _)| section.name == name)
}
