//! Closing the queue from the consumer side, at once, like Python 3.13's
//! `Queue.shutdown(immediate=True)`: halfway through, a consumer shuts the
//! queue down; producers are refused, and what the buffer holds is dropped
//! unprocessed.
//!
//! ```text
//! cargo run --example shutdown_immediate
//! cargo run --example shutdown_immediate -- --capacity 4 --time-scale 0.2
//! cargo run --example shutdown_immediate -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::shutdown;

fn main() -> ExitCode {
    harness::cli::main(&shutdown::SECTION_IMMEDIATE, shutdown::run_immediate)
}
