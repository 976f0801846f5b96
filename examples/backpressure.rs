//! Backpressure: a producer ten times faster than its consumer. A bounded
//! buffer holds it back; an unbounded one lets the items pile up. A report
//! on stderr says how many items waited at most and how long the producer
//! waited in `send`.
//!
//! ```text
//! cargo run --example backpressure -- --capacity 100   # the tutorial's maxsize=100
//! cargo run --example backpressure                     # unbounded
//! cargo run --example backpressure -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::backpressure;

fn main() -> ExitCode {
    harness::cli::main(&backpressure::SECTION, backpressure::run)
}
