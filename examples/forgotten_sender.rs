//! A sender clone that is never dropped keeps the channel open, so the
//! consumer never sees the end. The consumer here waits with a timeout, so
//! the hang shows itself (and says how many senders are still alive)
//! instead of hanging; the fix is one `drop`.
//!
//! ```text
//! cargo run --example forgotten_sender
//! cargo run --example forgotten_sender -- --time-scale 0.1
//! ```

use std::process::ExitCode;

use producer_consumer::forgotten_sender;

fn main() -> ExitCode {
    harness::cli::main(&forgotten_sender::SECTION, forgotten_sender::run)
}
