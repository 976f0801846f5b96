//! One producer, many consumers, stopped by a shared flag: consumers wait
//! for items with a timeout and check the flag whenever a wait runs out
//! (the tutorial's `threading.Event` alternative). It works, at a cost:
//! idle wake-ups, and a stop that comes up to one timeout late.
//!
//! ```text
//! cargo run --example event_timeout
//! cargo run --example event_timeout -- --consumers 5 --timeline event.svg
//! ```

use std::process::ExitCode;

use producer_consumer::event_timeout;

fn main() -> ExitCode {
    harness::cli::main(&event_timeout::SECTION, event_timeout::run)
}
