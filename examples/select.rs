//! Waiting on two channels at once: consumers wait for an item or a
//! cancellation, whichever comes first, with flume's `Selector`. The first
//! consumer to find a value of 0.9 or more cancels the job; the others stop
//! at once, even those waiting on an empty buffer.
//!
//! ```text
//! cargo run --example select
//! cargo run --example select -- --seed 7 --time-scale 0.2
//! cargo run --example select -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::select;

fn main() -> ExitCode {
    harness::cli::main(&select::SECTION, select::run)
}
