//! One channel, two worlds: producer threads block in `send`, consumer
//! async tasks `.await` in `recv_async`, on one thread of a tokio runtime.
//!
//! ```text
//! cargo run --example async_consumers
//! cargo run --example async_consumers -- --consumers 500 --items 100 --time-scale 0.01
//! cargo run --example async_consumers -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::async_consumers;

fn main() -> ExitCode {
    harness::cli::main(&async_consumers::SECTION, async_consumers::run)
}
