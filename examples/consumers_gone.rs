//! Every consumer gone while producers still send: the consumers leave
//! after three items each, the producers' next `send` fails, and they stop
//! cleanly. A report on stderr says what became of the items.
//!
//! ```text
//! cargo run --example consumers_gone
//! cargo run --example consumers_gone -- --capacity 0   # nothing left in a buffer
//! cargo run --example consumers_gone -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::consumers_gone;

fn main() -> ExitCode {
    harness::cli::main(&consumers_gone::SECTION, consumers_gone::run)
}
