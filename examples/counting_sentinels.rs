//! Many producers, one consumer, no barrier: each producer sends its own
//! sentinel, and the consumer stops after counting one per producer.
//!
//! ```text
//! cargo run --example counting_sentinels
//! cargo run --example counting_sentinels -- --producers 5 --help
//! ```

use std::process::ExitCode;

use producer_consumer::counting_sentinels;

fn main() -> ExitCode {
    harness::cli::main(&counting_sentinels::SECTION, counting_sentinels::run)
}
