//! Closing the queue from the consumer side, like Python 3.13's
//! `Queue.shutdown()`: halfway through, a consumer shuts the queue down;
//! producers are refused from then on, and the consumers still process
//! what the buffer holds. Each item's line says what became of it.
//!
//! ```text
//! cargo run --example shutdown
//! cargo run --example shutdown -- --capacity 2 --time-scale 0.2
//! cargo run --example shutdown -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::shutdown;

fn main() -> ExitCode {
    harness::cli::main(&shutdown::SECTION, shutdown::run)
}
