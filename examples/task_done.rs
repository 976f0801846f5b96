//! Completion without shutdown, like Python's `Queue.task_done()` and
//! `Queue.join()`: the producer waits after each batch of 4 items until
//! every item put so far is processed; the consumers stay alive between
//! batches.
//!
//! ```text
//! cargo run --example task_done
//! cargo run --example task_done -- --consumers 1 --time-scale 0.2
//! cargo run --example task_done -- --help
//! ```

use std::process::ExitCode;

use producer_consumer::task_done;

fn main() -> ExitCode {
    harness::cli::main(&task_done::SECTION, task_done::run)
}
