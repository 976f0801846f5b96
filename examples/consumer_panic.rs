//! A consumer that panics halfway: the other consumers go on, and the
//! program names the item that was being processed, lists the items that
//! were never processed, and exits with code 1. Nothing hangs.
//!
//! ```text
//! cargo run --example consumer_panic
//! cargo run --example consumer_panic -- --consumers 1    # no one left to go on
//! cargo run --example consumer_panic -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::consumer_panic;

fn main() -> ExitCode {
    harness::cli::main(&consumer_panic::SECTION, consumer_panic::run)
}
