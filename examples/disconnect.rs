//! Shutdown without a sentinel: producers drop their senders, the channel
//! closes when the last one is gone, and consumers end with `for item in rx`.
//! One program runs all four configurations.
//!
//! ```text
//! cargo run --example disconnect                                   # 3 producers, 5 consumers
//! cargo run --example disconnect -- --producers 1 --consumers 1    # one-one
//! cargo run --example disconnect -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::disconnect;

fn main() -> ExitCode {
    harness::cli::main(&disconnect::SECTION, disconnect::run)
}
